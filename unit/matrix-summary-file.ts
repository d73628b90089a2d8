/** The last run's reports/matrix-summary.json, as the project's tests read it. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CellResult } from '../reporters/matrix-summary.ts';

/** The cells of the last run that ran (were not skipped). */
export function cellsThatRan(file = 'reports/matrix-summary.json'): CellResult[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { cells: CellResult[] }).cells.filter((cell) => cell.status !== 'skipped');
}

/**
 * Asserts that exactly the Outlook-family cells of the last run went red as token_exchange_failed
 * with `cause`, their summary quoting `quote`, and that every Gmail cell passed.
 */
export function assertOnlyOutlookRed(cause: string, quote: RegExp): void {
  const ran = cellsThatRan();
  assert.ok(
    ran.some((cell) => cell.axes?.emailProvider === 'outlook') && ran.some((cell) => cell.axes?.emailProvider === 'gmail'),
    'the run held Outlook and Gmail cells',
  );
  for (const cell of ran) {
    if (cell.axes?.emailProvider === 'gmail') {
      assert.equal(cell.status, 'passed', `${cell.title} passed`);
      continue;
    }
    assert.equal(cell.status, 'failed', `${cell.title} failed`);
    assert.equal(cell.classification?.category, 'token_exchange_failed');
    assert.equal(cell.classification?.cause, cause);
    assert.match(cell.classification?.summary ?? '', quote);
  }
}
