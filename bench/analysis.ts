/**
 * The bench's arithmetic, apart from its measuring: the ideal wall time of a run (every cell at
 * the minimal script's speed, its modelled latency counted in, on perfectly packed workers), the
 * projection of a tier onto N shards from measured per-cell times, and the per-phase chart.
 */
import { PHASES, type Phase, type PhaseReport } from '../reporters/phase-reporter.ts';
import type { Cell } from '../matrix/cells.ts';

/**
 * What one login costs at the floor: the minimal script, directly and through the delayed edge-west
 * path; and, each way, its part from opening the app to the email screen (a stale login's abandoned
 * attempt).
 */
export interface Floor {
  minimalMs: number;
  minimalEdgeWestMs: number;
  toEmailScreenMs: number;
  toEmailScreenEdgeWestMs: number;
}

/**
 * A cell's floor: the minimal journey, plus the edge-west path's modelled delay when the cell goes
 * through it, plus a second journey when cookies are cleared mid-flow (the user signs in again),
 * plus the attempt abandoned at the email screen for a stale login (made before the journey).
 */
export function idealCellMs(cell: Pick<Cell, 'network' | 'cookies'>, floor: Floor): number {
  const edgeWest = cell.network === 'edge-west';
  const journey = edgeWest ? floor.minimalEdgeWestMs : floor.minimalMs;
  if (cell.cookies === 'cleared-mid-flow') return 2 * journey;
  if (cell.cookies === 'stale-login') return journey + (edgeWest ? floor.toEmailScreenEdgeWestMs : floor.toEmailScreenMs);
  return journey;
}

/** The ideal wall time of `cells` on `workers`: their floors, packed without a gap. */
export function idealWallMs(cells: readonly Pick<Cell, 'network' | 'cookies'>[], floor: Floor, workers: number): number {
  return cells.reduce((sum, cell) => sum + idealCellMs(cell, floor), 0) / workers;
}

export interface ShardProjection {
  shards: number;
  /** The slowest job's wall time, seconds. */
  seconds: number;
}

/**
 * A job's wall time when `cells` are split over `shards` machines of `workers` workers each: the
 * fixed cost of a run (start, worker starts, end, as measured) plus the largest shard's cells
 * (Playwright's --shard splits test groups evenly) packed on its workers.
 */
export function projectShards(
  cells: readonly Pick<Cell, 'network' | 'cookies'>[],
  cost: (cell: Pick<Cell, 'network' | 'cookies'>) => number,
  workers: number,
  fixedMs: number,
  maxShards = 6,
): ShardProjection[] {
  const costs = cells.map(cost);
  return Array.from({ length: maxShards }, (_, index) => {
    const shards = index + 1;
    const perShard = Math.ceil(costs.length / shards);
    // The dearest shard: the contiguous slice with the largest total.
    let worst = 0;
    for (let start = 0; start < costs.length; start += perShard)
      worst = Math.max(
        worst,
        costs.slice(start, start + perShard).reduce((sum, ms) => sum + ms, 0),
      );
    return { shards, seconds: (fixedMs + worst / workers) / 1000 };
  });
}

/** The fewest shards whose slowest job fits in `budgetSeconds`, or the most projected. */
export function shardsFor(projection: readonly ShardProjection[], budgetSeconds: number): number {
  return (projection.find((entry) => entry.seconds <= budgetSeconds) ?? projection.at(-1))?.shards ?? 1;
}

/** The run's fixed cost per job: before the tests, the worker starts and the run's end, per worker slot. */
export function fixedCostMs(report: PhaseReport): number {
  const perSlot = (phase: Phase) => report.phases[phase] / report.workers;
  return perSlot('runner start: config, lab, global setup') + perSlot('worker start') + perSlot('run end: workers stop, reports');
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A horizontal bar chart (SVG) of worker-seconds per phase, largest share labelled with its percentage. */
export function phaseChartSvg(report: PhaseReport, title: string): string {
  const rows = PHASES.map((phase) => ({ phase, seconds: report.phases[phase] / 1000 })).filter((row) => row.seconds >= 0.05);
  const total = rows.reduce((sum, row) => sum + row.seconds, 0);
  const max = Math.max(...rows.map((row) => row.seconds), 1);
  const labelWidth = 330;
  const barWidth = 420;
  const rowHeight = 22;
  const top = 40;
  const height = top + rows.length * rowHeight + 20;
  const bars = rows.map((row, index) => {
    const y = top + index * rowHeight;
    const width = Math.max(1, (row.seconds / max) * barWidth);
    const share = total ? ((100 * row.seconds) / total).toFixed(1) : '0';
    return [
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escape(row.phase)}</text>`,
      `<rect x="${labelWidth}" y="${y + 3}" width="${width.toFixed(1)}" height="${rowHeight - 6}" fill="#4e79a7"/>`,
      `<text x="${(labelWidth + width + 6).toFixed(1)}" y="${y + 15}">${row.seconds.toFixed(1)} s (${share}%)</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + barWidth + 150}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="8" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
    ...bars,
    '</svg>',
    '',
  ].join('\n');
}
