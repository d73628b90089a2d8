/**
 * What a cell costs to run, from measured ones: the axes with modelled latency (the network path,
 * the cookie condition: a stale login's abandoned attempt, a second journey) decide it. The bench
 * projects shards with it; triage orders its re-runs by it.
 */
import type { Cell } from './cells.ts';

/** A cell run and timed. */
export interface MeasuredCell {
  cell?: Pick<Cell, 'network' | 'cookies'> | undefined;
  durationMs: number;
}

/** The kind of cell whose measured time stands for another's: its network path and cookie condition. */
const costClass = (cell: Pick<Cell, 'network' | 'cookies'>) => `${cell.network}|${cell.cookies}`;

/**
 * Each cell's expected duration from a measured run: the mean of the measured cells of its cost
 * class (network path and cookies, the axes with modelled latency), else the mean of all.
 */
export function cellCostModel(measured: readonly MeasuredCell[]): (cell: Pick<Cell, 'network' | 'cookies'>) => number {
  const byClass = new Map<string, number[]>();
  const all: number[] = [];
  for (const test of measured) {
    if (!test.cell) continue;
    all.push(test.durationMs);
    byClass.set(costClass(test.cell), [...(byClass.get(costClass(test.cell)) ?? []), test.durationMs]);
  }
  const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const overall = all.length ? mean(all) : NaN;
  return (cell) => {
    const same = byClass.get(costClass(cell));
    return same?.length ? mean(same) : overall;
  };
}
