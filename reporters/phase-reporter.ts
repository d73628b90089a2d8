/**
 * Where a run's time goes (AUTHMATRIX_PHASES=<file>): every worker slot's time from the runner's
 * start to the run's end, split into phases — the runner's start (config, lab, global setup),
 * worker starts, the browser launch, context and page, the suite's fixtures, each screen of the
 * journey, the redirect and token exchange, teardown, and the time slots sit idle. The phases add
 * up to workers × wall time. `npm run bench` reads the file for its breakdown of the pairwise tier.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullConfig, Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import { cellOf, type Cell } from '../matrix/cells.ts';

/** The journey's own phases: its screens, the page loads between them, the exchange, a second journey. */
export const JOURNEY_PHASES = [
  'open the app',
  'start signing in',
  'email screen',
  'password screen',
  'second-factor screen',
  'between screens: page loads',
  'redirect, token exchange, signed-in app',
  'second journey (cleared mid-flow)',
] as const;

export const PHASES = [
  'runner start: config, lab, global setup',
  'worker start',
  'browser launch',
  'context and page',
  'suite fixtures: account, conditions, evidence',
  ...JOURNEY_PHASES,
  'test body: cookies, clock, check',
  'teardown',
  'dispatch between tests',
  'idle: waiting for other workers',
  'run end: workers stop, reports',
] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseTest {
  title: string;
  cell: Cell | undefined;
  status: string;
  /** The worker slot (parallelIndex) and the worker process (workerIndex) it ran in. */
  slot: number;
  workerIndex: number;
  /** From the runner's start, ms. */
  startMs: number;
  durationMs: number;
  phases: Partial<Record<Phase, number>>;
}

export interface PhaseReport {
  workers: number;
  /** Runner start to the run's end. */
  wallMs: number;
  /** Runner start to the first moment tests could run (config, lab, global setup, loading). */
  beforeTestsMs: number;
  phases: Record<Phase, number>;
  tests: PhaseTest[];
}

/** The phase of a step and of the untimed rest of its subtree, or undefined to keep its parent's. */
export function phaseOfStep(step: Pick<TestStep, 'title' | 'category'>): Phase | undefined {
  const { title, category } = step;
  if (category === 'hook' && title === 'Before Hooks') return 'suite fixtures: account, conditions, evidence';
  if (category === 'hook' && (title === 'After Hooks' || title === 'Worker Cleanup')) return 'teardown';
  if (category === 'fixture') {
    if (title === 'Fixture "browser"') return 'browser launch';
    if (title === 'Fixture "context"' || title === 'Fixture "page"') return 'context and page';
    return undefined;
  }
  if (/^(Open the app|Open the sign-in sheet|Open the browser)/.test(title)) return 'open the app';
  if (title === 'Start signing in') return 'start signing in';
  if (title === 'Enter the email address') return 'email screen';
  if (title === 'Enter the password') return 'password screen';
  if (title.startsWith('Enter the verification code')) return 'second-factor screen';
  if (title === 'Wait for the app to finish signing in' || title.startsWith('Exchange the code'))
    return 'redirect, token exchange, signed-in app';
  if (title === 'Try again from the error page') return 'second journey (cleared mid-flow)';
  if (/^Sign in( from|$)/.test(title)) return 'between screens: page loads';
  return undefined;
}

/**
 * Splits a test's duration into phases: each step's own time (its duration less its children's)
 * goes to its phase, or to the nearest enclosing step's; the time outside every step is the test body's.
 */
export function testPhases(result: Pick<TestResult, 'duration' | 'steps'>): Partial<Record<Phase, number>> {
  const phases: Partial<Record<Phase, number>> = {};
  const add = (phase: Phase, ms: number) => (phases[phase] = (phases[phase] ?? 0) + Math.max(0, ms));
  const walk = (step: TestStep, inherited: Phase): void => {
    const phase = phaseOfStep(step) ?? inherited;
    // A fixture's teardown belongs to teardown, whatever the fixture.
    const own = inherited === 'teardown' ? 'teardown' : phase;
    add(own, step.duration - step.steps.reduce((sum, child) => sum + child.duration, 0));
    for (const child of step.steps) walk(child, own);
  };
  for (const step of result.steps) walk(step, 'test body: cookies, clock, check');
  add('test body: cookies, clock, check', result.duration - result.steps.reduce((sum, step) => sum + step.duration, 0));
  return phases;
}

export default class PhaseReporter implements Reporter {
  readonly #outputFile: string;
  readonly #processStart = Date.now() - process.uptime() * 1000;
  #begin = 0;
  #workers = 1;
  readonly #tests: PhaseTest[] = [];

  constructor(options: { outputFile?: string } = {}) {
    this.#outputFile = options.outputFile ?? path.join('reports', 'phases.json');
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig): void {
    this.#begin = Date.now();
    this.#workers = config.workers;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.#tests.push({
      title: test.title,
      cell: cellOf(test.annotations),
      status: result.status,
      slot: result.parallelIndex,
      workerIndex: result.workerIndex,
      startMs: result.startTime.getTime() - this.#processStart,
      durationMs: result.duration,
      phases: testPhases(result),
    });
  }

  onEnd(): void {
    const report = phaseReport(this.#tests, this.#workers, this.#begin - this.#processStart, Date.now() - this.#processStart);
    mkdirSync(path.dirname(this.#outputFile), { recursive: true });
    writeFileSync(this.#outputFile, `${JSON.stringify(report, null, 2)}\n`);
  }
}

/**
 * The run's phases over every worker slot: the tests' own phases, and between them the slot's
 * gaps — a worker start where a new worker process took the slot, a dispatch otherwise — its idle
 * time after its last test, and the run's start and end, counted once per slot.
 */
export function phaseReport(tests: readonly PhaseTest[], workers: number, beforeTestsMs: number, wallMs: number): PhaseReport {
  const phases = Object.fromEntries(PHASES.map((phase) => [phase, 0])) as Record<Phase, number>;
  for (const test of tests) for (const [phase, ms] of Object.entries(test.phases)) phases[phase as Phase] += ms;
  const lastEnd = Math.max(beforeTestsMs, ...tests.map((test) => test.startMs + test.durationMs));
  for (let slot = 0; slot < workers; slot += 1) {
    const mine = tests.filter((test) => test.slot === slot).sort((a, b) => a.startMs - b.startMs);
    let at = beforeTestsMs;
    let worker: number | undefined;
    for (const test of mine) {
      phases[test.workerIndex === worker ? 'dispatch between tests' : 'worker start'] += Math.max(0, test.startMs - at);
      worker = test.workerIndex;
      at = test.startMs + test.durationMs;
    }
    phases['idle: waiting for other workers'] += Math.max(0, lastEnd - at);
  }
  phases['runner start: config, lab, global setup'] = workers * beforeTestsMs;
  phases['run end: workers stop, reports'] = workers * Math.max(0, wallMs - lastEnd);
  return { workers, wallMs, beforeTestsMs, phases, tests: [...tests] };
}
