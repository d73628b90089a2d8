/**
 * Runs triage (matrix/triage.ts) over a finished run's summary: groups the red cells by failure
 * signature, re-runs one red cell per signature with its axes moved (all signatures' re-runs in
 * one Playwright run, on the run's workers), and judges the conditions each signature needs.
 * Round 1 re-runs each red cell itself (does it fail again?) and its first moves; round 2 the
 * second moves of the axes that mattered, each green move twice more (it must agree with itself
 * three times), and the confirming cell. Re-runs write under reports/triage/, apart from the run.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { classificationLabel } from '../evidence/classify.ts';
import { axes, AXIS_NAMES, type AxisName } from '../matrix/axes.ts';
import { cellKey, type Cell } from '../matrix/cells.ts';
import { satisfiesConstraints } from '../matrix/constraints.ts';
import { cellCostModel } from '../matrix/cost.ts';
import {
  conditionOf,
  confirmationCell,
  ddminCandidates,
  ddminNext,
  judgeFlips,
  pickRedCell,
  planFlips,
  unmovedAxes,
  type AxisValues,
  type Condition,
  type Flip,
  type Observed,
  type TriageVerdict,
} from '../matrix/triage.ts';
import { configuredVariable, type ListedCell } from '../settings/settings.ts';
import { decideTimeoutScale, timeoutScaleEnv } from '../settings/timeouts.ts';
import type { CellResult } from '../reporters/matrix-summary.ts';
import { Progress } from './progress.ts';

/** A cell of the matrix summary (reports/matrix-summary.json), as triage reads it back. */
export type SummaryCell = Pick<CellResult, 'title' | 'status' | 'axes' | 'classification' | 'label'> &
  Partial<Pick<CellResult, 'durationMs'>>;

export interface RunSummary {
  run: { tier: string; faults: string[]; runId?: string; fixedAxes?: Record<string, string> };
  cells: SummaryCell[];
}

export interface TriageOptions {
  /** Environment for the re-runs (the run's faults, target and settings). */
  env: NodeJS.ProcessEnv;
  workers: number;
  /** Folder the re-runs write under. */
  outputDir: string;
  /** The axes' values in the run (network paths of the target). */
  values: AxisValues;
  /** Re-runs per signature at most: 2 × axes + 2. */
  maxReruns?: number;
  /** Where triage says what it is doing: a line per round and per re-run done, and while a round runs. */
  progress?: Progress;
}

const MAX_RERUNS = 2 * AXIS_NAMES.length + 2;

/**
 * How long a re-run's client waits for the token endpoint, unless TOKEN_REQUEST_TIMEOUT is set: a
 * re-run only has to tell a held request (no-response) from an answered one (the lab answers in
 * well under a second), so a held exchange costs each re-run 3 s rather than the suite's 20.
 */
export const RERUN_TOKEN_REQUEST_TIMEOUT_MS = 3_000;

/** The run's red cells, by failure signature. rate_limited depends on what came before a cell, not on its conditions: it is not triaged. */
export function signatures(summary: RunSummary): Map<string, Cell[]> {
  const groups = new Map<string, Cell[]>();
  for (const cell of summary.cells) {
    if ((cell.status !== 'failed' && cell.status !== 'intermittent') || !cell.axes || !cell.classification) continue;
    if (cell.classification.category === 'rate_limited') continue;
    const signature = classificationLabel(cell.classification);
    groups.set(signature, [...(groups.get(signature) ?? []), cell.axes]);
  }
  return groups;
}

/**
 * One re-run: a cell of a listed run (MATRIX_CELLS), with the label that keeps it apart from the
 * other re-runs of its round and whether triage expects it to stay red (most single moves do: only
 * the moves that matter turn a cell green).
 */
export type Planned = ListedCell;

/** What a re-run did: its status and, when it failed, its failure signature. */
export interface RerunOutcome {
  status: string;
  signature?: string;
}

/** Runs one round of re-runs (all at once, on the run's workers) and returns each label's outcome. */
export type RoundRunner = (planned: readonly Planned[], round: string) => Promise<Map<string, RerunOutcome>>;

/**
 * Runs `planned` cells in one Playwright run, writing under `<outputDir>/<round>/`. The timeout
 * scale is measured once, for every round (TIMEOUT_SCALE, when set, wins as in any run).
 */
function playwrightRounds(options: TriageOptions & { progress: Progress }): RoundRunner {
  const { progress } = options;
  const timeouts = timeoutScaleEnv(decideTimeoutScale(undefined, { ...process.env, ...options.env }));
  const tokenRequestTimeout =
    options.env.TOKEN_REQUEST_TIMEOUT ?? configuredVariable('TOKEN_REQUEST_TIMEOUT') ?? String(RERUN_TOKEN_REQUEST_TIMEOUT_MS);
  return async (planned, round) => {
    const dir = path.join(options.outputDir, round);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'cells.json');
    writeFileSync(file, JSON.stringify(planned));
    const what = `triage ${round.replace('-', ' ')}`;
    await progress.suite(
      what,
      ['tests/matrix.spec.ts', '--workers', String(options.workers), '--retries', '0'],
      { ...options.env, MATRIX_CELLS: file, AUTHMATRIX_OUTPUT: dir, TOKEN_REQUEST_TIMEOUT: tokenRequestTimeout, ...timeouts },
      {},
      (counter) => progress.say(`${what}: re-run ${counter.done}/${planned.length} done`),
    );
    const outcomes = new Map<string, RerunOutcome>();
    let summary: RunSummary;
    try {
      summary = JSON.parse(readFileSync(path.join(dir, 'reports', 'matrix-summary.json'), 'utf8')) as RunSummary;
    } catch {
      return outcomes;
    }
    for (const cell of summary.cells) {
      if (cell.label)
        outcomes.set(cell.label, {
          status: cell.status,
          ...(cell.classification ? { signature: classificationLabel(cell.classification) } : {}),
        });
    }
    return outcomes;
  };
}

const observedOf = (outcome: RerunOutcome | undefined, signature: string): Observed =>
  !outcome
    ? 'other'
    : outcome.status === 'passed'
      ? 'green'
      : outcome.status === 'failed' && outcome.signature === signature
        ? 'red'
        : 'other';

/** One signature's triage, advanced round by round. */
class SignatureTriage {
  readonly flips: Flip[];
  readonly firstMoves: Flip[];
  /** The axes no move can change on this red cell, named in the verdict. */
  readonly unmoved: { axis: AxisName; why: string }[];
  #seen = new Map<string, Observed>();
  reruns = 0;
  #verdict: Omit<TriageVerdict, 'reruns' | 'seconds'> | undefined;
  #judged: { needs: Condition[]; independentOf: AxisName[] } | undefined;
  #confirm: Cell | undefined;
  /** Delta debugging over the axes the confirming cell moved: the changes left and the granularity. */
  #ddmin: { changes: AxisName[]; n: number } | undefined;
  #pending: Planned[] = [];

  constructor(
    readonly id: string,
    readonly signature: string,
    readonly red: Cell,
    values: AxisValues,
    readonly maxReruns: number,
  ) {
    this.flips = planFlips(red, values);
    this.unmoved = unmovedAxes(red, values, this.flips);
    const firstMoves = this.flips.filter((flip) => flip.move !== 'second');
    // A cell no other kind of client can take (a browser's clock or cookie jar) has no first move on
    // the client: its second move (another profile of its kind) is the only one, and runs in round 1.
    const clientMoved = firstMoves.some((flip) => flip.axis === 'profile');
    this.firstMoves = clientMoved ? firstMoves : [...firstMoves, ...this.flips.filter((flip) => flip.axis === 'profile')];
  }

  get verdict() {
    return this.#verdict && this.unmoved.length ? { ...this.#verdict, unmoved: this.unmoved } : this.#verdict;
  }

  #plan(label: string, cell: Cell, expectRed?: boolean): void {
    this.#pending.push({ label: `${this.id}.${label}`, cell, observe: true, ...(expectRed === undefined ? {} : { expectRed }) });
    this.reruns += 1;
  }

  #observed(label: string): Observed {
    return this.#seen.get(`${this.id}.${label}`) ?? 'other';
  }

  #flipLabel = (flip: Flip) => `${flip.axis}.${flip.move}`;
  /** The green first moves run twice more (k = 3). */
  #repeated: Flip[] = [];

  /**
   * Round 1: each first move (and the client's second move when it has no first). The red cell
   * itself is not re-run: the confirming cell shows whether it fails again.
   */
  round1(): Planned[] {
    for (const flip of this.firstMoves) this.#plan(this.#flipLabel(flip), flip.cell, true);
    return this.#take();
  }

  /** Round 2: second moves of the axes that mattered; each green move twice more (k = 3); the confirming cell. */
  round2(): Planned[] {
    const green = this.firstMoves.filter((flip) => this.#observed(this.#flipLabel(flip)) === 'green');
    const mattered = new Set(green.map((flip) => flip.axis));
    const seconds = this.flips.filter((flip) => flip.move === 'second' && !this.firstMoves.includes(flip) && mattered.has(flip.axis));
    for (const flip of seconds) this.#plan(this.#flipLabel(flip), flip.cell, true);
    let budget = this.maxReruns - this.reruns - 1;
    for (const flip of green) {
      if ((budget -= 2) < 0) break;
      this.#repeated.push(flip);
      for (const copy of [2, 3]) this.#plan(`${this.#flipLabel(flip)}.${copy}`, flip.cell, false);
    }
    const provisional = judgeFlips(this.red, this.firstMoves, (flip) => this.#observed(this.#flipLabel(flip)));
    this.#confirm = confirmationCell(this.red, provisional.independentOf);
    this.#plan('confirm', this.#confirm, true);
    return this.#take();
  }

  /** Takes a round's outcomes and judges what they settle; returns the next round's re-runs (none when done). */
  observe(outcomes: Map<string, RerunOutcome>): Planned[] {
    for (const [label, outcome] of outcomes)
      if (label.startsWith(`${this.id}.`)) this.#seen.set(label, observedOf(outcome, this.signature));
    if (this.#verdict || !this.#confirm) return [];
    const base = { signature: this.signature, cell: cellKey(this.red) };
    if (!this.#judged) {
      const disagreeing = this.#repeated.some((flip) =>
        [2, 3].some((copy) => this.#observed(`${this.#flipLabel(flip)}.${copy}`) !== 'green'),
      );
      if (disagreeing) {
        this.#verdict = {
          ...base,
          outcome: 'intermittent',
          needs: [],
          independentOf: [],
          note: 'a move that turned the cell green did not do so every time',
        };
        return [];
      }
      this.#judged = judgeFlips(this.red, this.flips, (flip) => this.#observed(this.#flipLabel(flip)));
      const confirmed = this.#observed('confirm');
      if (confirmed === 'other') {
        this.#verdict = {
          ...base,
          outcome: 'stopped',
          ...this.#judged,
          note: 'the confirming re-run did not run or failed otherwise (an attempt budget spent, a skipped cell)',
        };
        return [];
      }
      if (confirmed === 'red') {
        this.#verdict = { ...base, outcome: 'settled', ...this.#judged };
        return [];
      }
      // The confirming cell passed: the red cell again (is it a failure at all?) and delta debugging
      // over the axes the confirming cell moved, to find the values needed together.
      const changes = AXIS_NAMES.filter((axis) => this.#confirm?.[axis] !== this.red[axis]);
      this.#ddmin = { changes, n: 2 };
      this.#plan('control', this.red, true);
      return changes.length > 1 ? this.#ddminRound() : this.#take();
    }
    if (this.#observed('control') !== 'red') {
      this.#verdict = { ...base, outcome: 'intermittent', needs: [], independentOf: [], note: 'the red cell did not fail again' };
      return [];
    }
    const state = this.#ddmin;
    if (!state) return [];
    // One change between the confirming cell and the red one: it is the value needed.
    if (state.changes.length <= 1) return this.#settleCombination(state.changes);
    const next = ddminNext(state.changes, state.n, (part) => this.#observed(this.#ddminLabel(part)) === 'red');
    this.#ddmin = { changes: next.changes, n: next.n };
    if (next.done) return this.#settleCombination(next.changes);
    return this.#ddminRound();
  }

  #ddminLabel = (part: readonly AxisName[]) => `ddmin.${part.join('+')}`;

  /** The confirming cell with `part`'s axes back at the red cell's values. */
  #ddminCell(part: readonly AxisName[]): Cell | undefined {
    const cell = { ...(this.#confirm as Cell), ...Object.fromEntries(part.map((axis) => [axis, this.red[axis]])) };
    return satisfiesConstraints(cell) ? cell : undefined;
  }

  #ddminRound(): Planned[] {
    const state = this.#ddmin as { changes: AxisName[]; n: number };
    const { subsets, complements } = ddminCandidates(state.changes, state.n);
    const tries = [...subsets, ...complements];
    if (this.reruns + tries.length > this.maxReruns) return this.#settleCombination(undefined);
    for (const part of tries) {
      const cell = this.#ddminCell(part);
      if (cell) this.#plan(this.#ddminLabel(part), cell);
    }
    const planned = this.#take();
    // Nothing left to try (every candidate outside the constraints): the changes left are the answer.
    return planned.length ? planned : this.#settleCombination(state.changes);
  }

  #settleCombination(together: readonly AxisName[] | undefined): Planned[] {
    const judged = this.#judged as { needs: Condition[]; independentOf: AxisName[] };
    this.#verdict = {
      signature: this.signature,
      cell: cellKey(this.red),
      outcome: 'combination',
      needs: judged.needs,
      independentOf: judged.independentOf.filter((axis) => !together?.includes(axis)),
      ...(together
        ? { together: together.map((axis) => conditionOf(this.red, axis)) }
        : { note: 'the re-run budget ran out before delta debugging could narrow down' }),
    };
    this.#pending = [];
    return [];
  }

  #take(): Planned[] {
    const taken = this.#pending;
    this.#pending = [];
    return taken;
  }
}

/** Triage of every signature in `summary`: rounds of re-runs, each signature's in the same round. */
export async function triage(summary: RunSummary, options: TriageOptions & { runRound?: RoundRunner }): Promise<TriageVerdict[]> {
  const started = Date.now();
  const progress = options.progress ?? new Progress('triage', { write: () => undefined });
  const log = (line: string) => progress.say(line);
  const groups = [...signatures(summary)];
  if (groups.length === 0) return [];
  const runRound = options.runRound ?? playwrightRounds({ ...options, progress });
  const maxReruns = options.maxReruns ?? MAX_RERUNS;
  const triages = groups.map(
    ([signature, cells], index) =>
      new SignatureTriage(`s${index}`, signature, pickRedCell(cells, options.values) as Cell, options.values, maxReruns),
  );
  // What a re-run will take, from the run's own cells: its network path and cookie condition decide.
  const cost = cellCostModel(
    summary.cells.flatMap((cell) => (cell.axes && cell.durationMs ? [{ cell: cell.axes, durationMs: cell.durationMs }] : [])),
  );
  const run = async (round: number, planned: Planned[]) => {
    log(`triage round ${round}: ${planned.length} re-run(s) over ${groups.length} signature(s)`);
    // Longest first, so that no worker is left finishing a long one while the other idles: by the
    // run's times for the cell's path and cookies, then the ones expected red (a failing journey
    // takes longest: a held exchange waits out its timeout).
    const estimate = (one: Planned) => cost(one.cell) || 0;
    const longestFirst = [...planned].sort(
      (a, b) => estimate(b) - estimate(a) || Number(b.expectRed === true) - Number(a.expectRed === true),
    );
    return planned.length ? runRound(longestFirst, `round-${round}`) : new Map<string, RerunOutcome>();
  };
  log(`triage: ${groups.length} signature(s): ${groups.map(([signature]) => signature).join(', ')}`);
  const first = await run(
    1,
    triages.flatMap((one) => one.round1()),
  );
  for (const one of triages) one.observe(first);
  let planned = triages.flatMap((one) => one.round2());
  for (let round = 2; planned.length; round++) {
    const outcomes = await run(round, planned);
    planned = triages.flatMap((one) => one.observe(outcomes));
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  return triages.map((one) => ({
    ...(one.verdict ?? { signature: one.signature, cell: cellKey(one.red), outcome: 'stopped', needs: [], independentOf: [] }),
    reruns: one.reruns,
    seconds,
  }));
}

/** The axes' values for a run on this target: its network paths and fixed axes. */
export function runValues(networkPaths: readonly string[], labEntryPoints: boolean, fixedAxes: Record<string, string>): AxisValues {
  return axes(networkPaths, labEntryPoints, fixedAxes);
}
