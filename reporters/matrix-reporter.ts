/**
 * The matrix reporter: collects every result during the run and, at the end, prints the heat map,
 * writes reports/matrix-summary.{md,json} and reports/matrix-heatmap.html (attached to the Allure
 * report), and the run's environment for Allure. A pass that needed a retry after a
 * token_exchange_failed is reported as an intermittent regression, with a warning, never hidden.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullConfig, FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { classificationOf } from '../evidence/verdict.ts';
import { cellKey, cellOf, listedLabelOf, type Cell } from '../matrix/cells.ts';
import { profileEnginesOf } from '../browsers/engines.ts';
import { recordRedCells } from './cell-history.ts';
import { PROFILES } from '../matrix/profiles.ts';
import { renderConsole, renderHtml, renderMarkdown, summarize, type CellResult, type CellStatus } from './matrix-summary.ts';

/** What a run was: its tier, target and armed faults. */
export interface RunDescription {
  runId?: string;
  /** The order the cells ran in: MATRIX_ORDER, or `listed` for a run of listed cells (triage's re-runs). */
  order?: string;
  tier: string;
  target: string;
  targetVersion?: string;
  faults: string[];
  /** Account axes the target holds to one value (it has no phones, say). */
  fixedAxes?: Record<string, string>;
}

/**
 * The config metadata key that carries the run's description. Blob reports keep the metadata of
 * the run that wrote them, so `playwright merge-reports` hands this reporter the description of
 * the runs it merges, not of the machine merging them.
 */
export const RUN_METADATA_KEY = 'authmatrix';

export interface MatrixReporterOptions extends Partial<RunDescription> {
  outputDir?: string;
  allureResultsDir?: string;
  /** False keeps the run out of the record of red cells MATRIX_ORDER=risk reads (the reporter's own tests). */
  recordHistory?: boolean;
}

function runDescriptionOf(metadata: Record<string, unknown> | undefined): RunDescription | undefined {
  const value = metadata?.[RUN_METADATA_KEY] as Partial<RunDescription> | undefined;
  if (!value || typeof value.tier !== 'string' || typeof value.target !== 'string' || !Array.isArray(value.faults)) return undefined;
  return value as RunDescription;
}

// eslint-disable-next-line no-control-regex -- terminal colour codes are control characters
const ANSI = /\u001b\[[0-9;]*m/g;

function messageOf(result: TestResult): string | undefined {
  return (result.error?.message ?? result.errors[0]?.message)?.replace(ANSI, '');
}

export default class MatrixReporter implements Reporter {
  readonly #options: MatrixReporterOptions;
  readonly #results = new Map<TestCase, TestResult[]>();
  readonly #browsers = new Set<string>();
  #startedAt = new Date();
  #firstRedAt: number | undefined;
  #config: FullConfig | undefined;

  constructor(options: MatrixReporterOptions) {
    this.#options = options;
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig): void {
    this.#config = config;
    this.#startedAt = new Date();
  }

  /** The run's description: from the config metadata of the run (or runs merged), else the options. */
  get #run(): RunDescription {
    const options = this.#options;
    return (
      runDescriptionOf(this.#config?.metadata) ?? {
        tier: options.tier ?? 'unknown',
        target: options.target ?? 'unknown',
        faults: options.faults ?? [],
        ...(options.targetVersion ? { targetVersion: options.targetVersion } : {}),
        ...(options.fixedAxes ? { fixedAxes: options.fixedAxes } : {}),
      }
    );
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const list = this.#results.get(test) ?? [];
    list.push(result);
    this.#results.set(test, list);
    for (const annotation of result.annotations)
      if (annotation.type === 'browser' && annotation.description) this.#browsers.add(annotation.description);
    if (result.status === 'failed' && this.#firstRedAt === undefined && cellOf(test.annotations)) this.#firstRedAt = Date.now();
    const earlier = list.slice(0, -1).map((attempt) => classificationOf(attempt));
    if (result.status === 'passed' && earlier.some((classification) => classification?.category === 'token_exchange_failed')) {
      process.stderr.write(
        `authmatrix: ⚠ intermittent regression: "${test.title}" passed on retry ${result.retry} after token_exchange_failed\n`,
      );
    }
  }

  #cellResult(test: TestCase, attempts: TestResult[]): CellResult {
    const last = attempts.at(-1);
    const outcome = test.outcome();
    const earlierFailures = attempts
      .slice(0, -1)
      .map((attempt) => classificationOf(attempt))
      .filter((classification) => classification !== undefined);
    let status: CellStatus;
    if (outcome === 'skipped') status = 'skipped';
    // A triage re-run marked an expected failure when it failed: the cell is red.
    else if (test.expectedStatus === 'failed') status = last?.status === 'passed' ? 'passed' : 'failed';
    else if (outcome === 'unexpected') status = 'failed';
    else if (outcome === 'flaky' && earlierFailures.some((classification) => classification.category === 'token_exchange_failed'))
      status = 'intermittent';
    else status = 'passed';
    const failedMessage = status === 'failed' && last ? (messageOf(last) ?? '') : undefined;
    return {
      title: test.title,
      project: test.parent.project()?.name ?? '',
      axes: cellOf(test.annotations),
      label: listedLabelOf(test.annotations),
      status,
      classification:
        failedMessage !== undefined && last
          ? (classificationOf(last) ?? {
              category: 'test-defect',
              cause: 'unclassified',
              summary: failedMessage.split('\n')[0] ?? '',
            })
          : undefined,
      earlierFailures: earlierFailures.length ? earlierFailures : undefined,
      retries: attempts.length - 1,
      durationMs: attempts.reduce((sum, attempt) => sum + attempt.duration, 0),
      skipReason:
        status === 'skipped'
          ? [...(last?.annotations ?? []), ...test.annotations].find((annotation) => annotation.type === 'skip')?.description
          : undefined,
    };
  }

  /**
   * Writes the summary and, when tests were run and not one of them executed (every cell skipped,
   * or nothing selected), fails the run: a run that tested nothing is not green. A run that
   * reported no test at all (`--list`, or a run that died before its first test) writes nothing.
   */
  onEnd(result: FullResult): Promise<{ status: FullResult['status'] } | undefined> {
    if (this.#results.size === 0) return Promise.resolve(undefined);
    const results = [...this.#results].map(([test, attempts]) => this.#cellResult(test, attempts));
    const run = this.#run;
    const summary = summarize(results, {
      runId: run.runId,
      tier: run.tier,
      target: run.target,
      faults: run.faults,
      fixedAxes: run.fixedAxes ?? {},
      startedAt: this.#startedAt.toISOString(),
      durationMs: result.duration,
      firstRedMs: this.#firstRedAt === undefined ? undefined : this.#firstRedAt - this.#startedAt.getTime(),
      order: run.order,
      profiles: PROFILES.map((profile) => profile.name),
    });
    const outputDir = this.#options.outputDir ?? 'reports';
    mkdirSync(outputDir, { recursive: true });
    writeFileSync(path.join(outputDir, 'matrix-summary.md'), renderMarkdown(summary));
    writeFileSync(path.join(outputDir, 'matrix-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(path.join(outputDir, 'matrix-heatmap.html'), renderHtml(summary));
    process.stdout.write(`${renderConsole(summary)}\n`);
    this.#writeAllureEnvironment();
    // The record MATRIX_ORDER=risk reads: which cells were red (triage's re-runs are not runs of the matrix).
    if (run.order !== 'listed' && this.#options.recordHistory !== false)
      recordRedCells(
        results
          .filter((cell) => cell.axes && (cell.status === 'failed' || cell.status === 'intermittent'))
          .map((cell) => cellKey(cell.axes as Cell)),
      );
    if (results.every((cell) => cell.status === 'skipped') && result.status === 'passed') {
      const reasons = [...new Set(results.map((cell) => cell.skipReason ?? 'no reason given'))];
      process.stderr.write(
        `authmatrix: no test ran: all ${results.length} were skipped (${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? '; …' : ''}); failing the run, since it tested nothing\n`,
      );
      return Promise.resolve({ status: 'failed' });
    }
    return Promise.resolve(undefined);
  }

  #writeAllureEnvironment(): void {
    const dir = this.#options.allureResultsDir ?? 'allure-results';
    let commit: string;
    try {
      commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      commit = 'not a git checkout';
    }
    // Each profile and the engine it runs on here (projects are engines; their metadata lists their profiles).
    const engines = (this.#config?.projects ?? [])
      .flatMap((project) => Object.entries(profileEnginesOf(project.metadata)).map(([profile, engine]) => `${profile}=${engine}`))
      .join(', ');
    const run = this.#run;
    const properties: Record<string, string> = {
      target: run.target,
      'target.version': run.targetVersion ?? 'not exposed',
      tier: run.tier,
      'lab.faults': run.faults.join(', ') || 'none',
      browsers: [...this.#browsers].sort().join(', ') || 'none ran',
      engines,
      node: process.version,
      playwright: this.#config?.version ?? 'unknown',
      'git.commit': commit,
    };
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'environment.properties'),
      `${Object.entries(properties)
        .map(([key, value]) => `${key}=${value.replace(/\n/g, ' ')}`)
        .join('\n')}\n`,
    );
  }
}
