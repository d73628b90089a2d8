/**
 * Gentle on real targets: the per-account attempt budget, the spacing between two sign-ins with
 * one account, and the stop after a 429 — unit by unit on the book, then through the suite
 * against the lab with its rate limit cut (rate-limit-tight) and a one-account ACCOUNTS_FILE.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Secret } from 'otpauth';
import { AccountRateLimitedError, AttemptBook } from '../accounts/attempts.ts';
import { runSuite } from '../scripts/processes.ts';

const EMAIL = 'qa.one@outlook.com';

test('a budget of attempts per account per run; a new run starts afresh', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-attempts-'));
  const book = new AttemptBook(dir, 'run-1', { budget: 2, minSpacingMs: 0 });
  assert.equal(book.spent(EMAIL), false);
  await book.begin(EMAIL);
  await book.begin(EMAIL);
  assert.equal(book.spent(EMAIL), true);
  assert.equal(new AttemptBook(dir, 'run-1', { budget: 2, minSpacingMs: 0 }).spent(EMAIL), true, 'another worker of the run sees it');
  assert.equal(new AttemptBook(dir, 'run-2', { budget: 2, minSpacingMs: 0 }).spent(EMAIL), false);
});

test('two sign-ins with one account are spaced by at least the minimum', async () => {
  let now = 1_000_000;
  const waits: number[] = [];
  const book = new AttemptBook(
    mkdtempSync(path.join(tmpdir(), 'authmatrix-attempts-')),
    'run',
    { budget: undefined, minSpacingMs: 5_000 },
    () => now,
  );
  const wait = (ms: number) => {
    waits.push(ms);
    now += ms;
    return Promise.resolve();
  };
  await book.begin(EMAIL, wait);
  now += 1_200;
  await book.begin(EMAIL, wait);
  now += 9_000;
  await book.begin(EMAIL, wait);
  assert.deepEqual(waits, [3_800]);
});

test('after a 429 the account makes no further attempt in the run', async () => {
  const book = new AttemptBook(mkdtempSync(path.join(tmpdir(), 'authmatrix-attempts-')), 'run', { budget: undefined, minSpacingMs: 0 });
  await book.begin(EMAIL);
  book.markRateLimited(EMAIL);
  await assert.rejects(book.begin(EMAIL), (error: unknown) => {
    assert.ok(error instanceof AccountRateLimitedError);
    assert.match(String(error), /^rate_limited \(attempts-stopped\): the target answered 429 for qa\.one@outlook\.com/);
    return true;
  });
});

test(
  'through the suite: a 429 stops the account, its later cells are rate_limited without reaching the target, and a spent budget skips',
  { timeout: 180_000 },
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-gentle-'));
    const accountsFile = path.join(dir, 'accounts.json');
    writeFileSync(
      accountsFile,
      JSON.stringify([
        {
          email: `gentle.${randomBytes(4).toString('hex')}@gmail.com`,
          password: `Pw-${randomBytes(8).toString('hex')}`,
          totpSecret: new Secret({ size: 20 }).base32,
          phone: '+15550004444',
          plan: 'plus',
        },
      ]),
    );
    const base = { ACCOUNTS_FILE: accountsFile, LAB_PORT: '4740', CI: '1', ACCOUNT_MIN_SPACING_MS: '0' };

    // rate-limit-tight: one token exchange a minute. The first sign-in passes, the second is
    // refused with 429, and the third and fourth (and the retries) never reach the target.
    const limited = await runSuite(['tests/login.spec.ts', '--repeat-each', '4', '--workers', '1', '--reporter', 'line'], {
      ...base,
      LAB_FAULTS: 'rate-limit-tight',
    });
    assert.notEqual(limited.status, 0);
    assert.match(limited.output, /1 passed/);
    assert.equal((limited.output.match(/rate_limited: the target refused for too many attempts/g) ?? []).length >= 1, true, limited.output);
    const stopped = limited.output.match(/rate_limited \(attempts-stopped\): the target answered 429 for gentle\./g) ?? [];
    assert.ok(stopped.length >= 2, `later cells were stopped before reaching the target:\n${limited.output}`);
    assert.doesNotMatch(limited.output, /token_exchange_failed/);

    // A clean lab, a budget of two: two sign-ins, then the account is not used again.
    const budget = await runSuite(['tests/login.spec.ts', '--repeat-each', '3', '--workers', '1', '--reporter', 'line'], {
      ...base,
      LAB_FAULTS: '',
      ACCOUNT_ATTEMPT_BUDGET: '2',
    });
    assert.equal(budget.status, 0, budget.output);
    assert.match(budget.output, /1 skipped\s+2 passed/);
  },
);
