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
import { classificationLabel, type Classification } from '../evidence/classify.ts';
import { axes, AXIS_NAMES } from '../matrix/axes.ts';
import { cellKey, type Cell } from '../matrix/cells.ts';
import {
  confirmationCell,
  judgeFlips,
  pickRedCell,
  planFlips,
  type AxisValues,
  type Flip,
  type Observed,
  type TriageVerdict,
} from '../matrix/triage.ts';
import { runSuite } from './processes.ts';

export interface SummaryCell {
  title: string;
  status: string;
  axes?: Cell;
  classification?: Classification;
}

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
  log?: (line: string) => void;
}

const MAX_RERUNS = 2 * AXIS_NAMES.length + 2;

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

interface Planned {
  label: string;
  cell: Cell;
}

/** Runs `planned` cells in one Playwright run; returns each label's outcome against its signature. */
async function runCells(
  planned: Planned[],
  round: string,
  options: TriageOptions,
): Promise<Map<string, { status: string; signature?: string }>> {
  const dir = path.join(options.outputDir, round);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'cells.json');
  writeFileSync(file, JSON.stringify(planned));
  await runSuite(['tests/matrix.spec.ts', '--workers', String(options.workers), '--retries', '0'], {
    ...options.env,
    MATRIX_CELLS: file,
    AUTHMATRIX_OUTPUT: dir,
  });
  const outcomes = new Map<string, { status: string; signature?: string }>();
  let summary: RunSummary;
  try {
    summary = JSON.parse(readFileSync(path.join(dir, 'reports', 'matrix-summary.json'), 'utf8')) as RunSummary;
  } catch {
    return outcomes;
  }
  for (const cell of summary.cells) {
    const label = /\[([\w:.-]+)\]$/.exec(cell.title)?.[1];
    if (label)
      outcomes.set(label, { status: cell.status, ...(cell.classification ? { signature: classificationLabel(cell.classification) } : {}) });
  }
  return outcomes;
}

const observedOf = (outcome: { status: string; signature?: string } | undefined, signature: string): Observed =>
  !outcome
    ? 'other'
    : outcome.status === 'passed'
      ? 'green'
      : outcome.status === 'failed' && outcome.signature === signature
        ? 'red'
        : 'other';

/** Triage of every signature in `summary`. */
export async function triage(summary: RunSummary, options: TriageOptions): Promise<TriageVerdict[]> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const groups = [...signatures(summary)];
  if (groups.length === 0) return [];
  const maxReruns = options.maxReruns ?? MAX_RERUNS;

  // Round 1: each signature's red cell again, and its first moves.
  const plans = groups.map(([signature, cells], index) => {
    const red = pickRedCell(cells) as Cell;
    const flips = planFlips(red, options.values);
    return { signature, red, flips, id: `s${index}` };
  });
  const round1: Planned[] = plans.flatMap((plan) => [
    { label: `${plan.id}.control`, cell: plan.red },
    ...plan.flips
      .filter((flip) => flip.move !== 'second')
      .map((flip) => ({ label: `${plan.id}.${flip.axis}.${flip.move}`, cell: flip.cell })),
  ]);
  log(`triage: ${groups.length} signature(s), round 1: ${round1.length} re-runs`);
  const first = await runCells(round1, 'round-1', options);

  // Round 2: second moves where a first move mattered; green moves twice more; the confirming cell.
  const round2: Planned[] = [];
  const prepared = plans.map((plan) => {
    const seen = (flip: Flip) => observedOf(first.get(`${plan.id}.${flip.axis}.${flip.move}`), plan.signature);
    const firstMoves = plan.flips.filter((flip) => flip.move !== 'second');
    const mattered = new Set(firstMoves.filter((flip) => seen(flip) === 'green').map((flip) => flip.axis));
    const seconds = plan.flips.filter(
      (flip) =>
        flip.move === 'second' &&
        (mattered.has(flip.axis) || (flip.axis === 'profile' && !firstMoves.some((move) => move.axis === 'profile'))),
    );
    const greens = firstMoves.filter((flip) => seen(flip) === 'green');
    const control = observedOf(first.get(`${plan.id}.control`), plan.signature);
    let budget = maxReruns - 1 - firstMoves.length - seconds.length - 1;
    const repeated = greens.filter(() => (budget -= 2) >= 0);
    for (const flip of seconds) round2.push({ label: `${plan.id}.${flip.axis}.${flip.move}`, cell: flip.cell });
    for (const flip of repeated)
      for (const copy of [2, 3]) round2.push({ label: `${plan.id}.${flip.axis}.${flip.move}.${copy}`, cell: flip.cell });
    return { plan, seen, firstMoves, seconds, repeated, control };
  });
  // The confirming cell needs the verdict of the single moves: judged on round 1 with seconds assumed red until seen.
  for (const { plan, seen } of prepared) {
    const provisional = judgeFlips(
      plan.red,
      plan.flips.filter((flip) => flip.move !== 'second'),
      seen,
    );
    round2.push({ label: `${plan.id}.confirm`, cell: confirmationCell(plan.red, provisional.independentOf) });
  }
  log(`triage: round 2: ${round2.length} re-runs`);
  const second = round2.length ? await runCells(round2, 'round-2', options) : new Map<string, { status: string; signature?: string }>();

  const seconds = Math.round((Date.now() - started) / 1000);
  return prepared.map(({ plan, firstMoves, seconds: secondMoves, repeated, control }) => {
    const outcome = (label: string) => observedOf(first.get(label) ?? second.get(label), plan.signature);
    const observed = (flip: Flip) => outcome(`${plan.id}.${flip.axis}.${flip.move}`);
    const reruns = 1 + firstMoves.length + secondMoves.length + 2 * repeated.length + 1;
    const base = { signature: plan.signature, cell: cellKey(plan.red), reruns, seconds };
    if (control !== 'red') return { ...base, outcome: 'intermittent', needs: [], independentOf: [] } satisfies TriageVerdict;
    const disagreeing = repeated.some((flip) => [2, 3].some((copy) => outcome(`${plan.id}.${flip.axis}.${flip.move}.${copy}`) !== 'green'));
    if (disagreeing) return { ...base, outcome: 'intermittent', needs: [], independentOf: [] } satisfies TriageVerdict;
    const flips = [...firstMoves, ...secondMoves];
    const judged = judgeFlips(plan.red, flips, observed);
    const confirmed = outcome(`${plan.id}.confirm`);
    if (confirmed === 'other')
      return {
        ...base,
        outcome: 'stopped',
        ...judged,
        note: 'the confirming re-run did not run or failed otherwise (an attempt budget spent, a skipped cell)',
      } satisfies TriageVerdict;
    return { ...base, outcome: confirmed === 'red' ? 'settled' : 'combination', ...judged } satisfies TriageVerdict;
  });
}

/** The axes' values for a run on this target: its network paths and fixed axes. */
export function runValues(networkPaths: readonly string[], labEntryPoints: boolean, fixedAxes: Record<string, string>): AxisValues {
  return axes(networkPaths, labEntryPoints, fixedAxes);
}
