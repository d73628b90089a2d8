/**
 * The record of which cells were red in recent runs, for MATRIX_ORDER=risk. Kept beside Allure's
 * history (allure-history/), which the nightly workflow restores between runs, so the record
 * travels with it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// AUTHMATRIX_RED_CELLS puts the record elsewhere: the drill keeps one per fault run, so that each
// fault meets the matrix as a regression never seen before.
const FILE = process.env.AUTHMATRIX_RED_CELLS ?? path.join('allure-history', 'authmatrix-red-cells.json');
const KEEP_RUNS = 10;

interface CellHistory {
  runs: { at: string; red: string[] }[];
}

function read(): CellHistory {
  if (!existsSync(FILE)) return { runs: [] };
  try {
    const parsed = JSON.parse(readFileSync(FILE, 'utf8')) as Partial<CellHistory>;
    return { runs: Array.isArray(parsed.runs) ? parsed.runs : [] };
  } catch {
    return { runs: [] };
  }
}

/** Keys of the cells red or intermittent in recent runs, the most recent first, each once. */
export function recentRedCells(): string[] {
  return [...new Set(read().runs.flatMap((run) => run.red))];
}

/** Adds a run's red cells (by key) to the record, keeping the last KEEP_RUNS runs. */
export function recordRedCells(red: readonly string[], at = new Date()): void {
  const history = read();
  history.runs.unshift({ at: at.toISOString(), red: [...red] });
  mkdirSync(path.dirname(FILE), { recursive: true });
  writeFileSync(FILE, `${JSON.stringify({ runs: history.runs.slice(0, KEEP_RUNS) }, null, 2)}\n`);
}
