/**
 * The order cells run in. `tier` keeps the tier's order. `risk` (MATRIX_ORDER=risk, the default in
 * CI) runs first the cells most likely to catch a regression: those red or intermittent in recent
 * runs (most recent first), then the seed article's case, then, greedily, the cell that covers the
 * most axis values not yet covered, so that every value is met as early as possible.
 */
import { AXIS_NAMES } from './axes.ts';
import { cellKey, SEED_CASE, type Cell } from './cells.ts';

export const MATRIX_ORDERS = ['tier', 'risk'] as const;
export type MatrixOrder = (typeof MATRIX_ORDERS)[number];

/** `cells` in risk order; `recentRed` holds the keys of cells red in recent runs, most recent first. */
export function riskOrder(cells: readonly Cell[], recentRed: readonly string[]): Cell[] {
  const remaining = [...cells];
  const ordered: Cell[] = [];
  const take = (index: number) => ordered.push(...remaining.splice(index, 1));
  for (const key of recentRed) {
    const index = remaining.findIndex((cell) => cellKey(cell) === key);
    if (index >= 0) take(index);
  }
  const seed = remaining.findIndex((cell) => cellKey(cell) === cellKey(SEED_CASE));
  if (seed >= 0) take(seed);
  const covered = new Set(ordered.flatMap((cell) => AXIS_NAMES.map((axis) => `${axis}=${cell[axis]}`)));
  while (remaining.length) {
    let best = 0;
    let bestGain = -1;
    remaining.forEach((cell, index) => {
      const gain = AXIS_NAMES.filter((axis) => !covered.has(`${axis}=${cell[axis]}`)).length;
      if (gain > bestGain) [best, bestGain] = [index, gain];
    });
    const [next] = remaining.splice(best, 1);
    if (!next) break;
    ordered.push(next);
    for (const axis of AXIS_NAMES) covered.add(`${axis}=${next[axis]}`);
  }
  return ordered;
}
