/** A run claims coverage only for the cells its target can run, and says in one line how many it skips and why. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { TestAccount } from '../accounts/accounts.ts';
import { cellsFor, pairCoverage } from '../matrix/cells.ts';
import { loadTargetProfile } from '../targets/profile.ts';
import { runnableCells, skippedLine } from '../targets/runnable.ts';

test('a pairwise run on a target with few accounts counts pairs over the cells that can run, and names what it skips', () => {
  const profile = loadTargetProfile('targets/django-idp.json', {
    BASE_URL: 'http://localhost:4921',
    ISSUER_URL: 'http://127.0.0.1:4920/o',
  });
  const accounts = JSON.parse(readFileSync('examples/accounts.json', 'utf8')) as TestAccount[];
  const cells = cellsFor('pairwise', [], false);
  const runnable = runnableCells(cells, profile, accounts);
  const all = pairCoverage(cells, [], false);
  const real = pairCoverage(runnable.runnable, [], false);
  assert.equal(all.covered, all.allowed, 'the tier alone covers every pair');
  assert.ok(runnable.runnable.length < cells.length && runnable.runnable.length > 0);
  assert.ok(real.covered < real.allowed, 'the cells that can run do not');
  const line = skippedLine(runnable) ?? '';
  assert.match(line, new RegExp(`^${cells.length - runnable.runnable.length} of ${cells.length} skipped: `));
  assert.match(line, /\d+ no account of their type in ACCOUNTS_FILE/);
  assert.match(line, /registers no iOS app client/);
  assert.equal(skippedLine(runnableCells(cells, undefined, undefined)), undefined, 'the lab makes every account: nothing skipped');
});
