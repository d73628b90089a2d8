import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from '../lab/rate-limit.ts';
import { ReplicatedStore } from '../lab/store.ts';
import { isOutlookFamily, startEmailVerificationUpstream, UpstreamTimeoutError } from '../lab/upstream.ts';
import { FAULT_CATALOG, faultSettings } from '../lab/faults.ts';

const TIGHT_LIMIT = faultSettings('rate-limit-tight').limit;
import { FAULT_EXPECTATIONS } from '../scripts/drill-expectations.ts';
import { judge, type DrillCell } from '../scripts/drill-verdict.ts';
import type { Cell } from '../matrix/cells.ts';
import { BASELINE } from '../matrix/triage.ts';

test('every catalogued fault says what it models and whom it hurts, and the drill holds an expectation for it, with the conditions triage must name', () => {
  assert.equal(FAULT_CATALOG.length, 20);
  for (const fault of FAULT_CATALOG) {
    assert.ok(fault.models.length > 30 && fault.hurts.length > 10, fault.id);
    assert.ok(FAULT_EXPECTATIONS[fault.id], fault.id);
    // Every fault but the rate limit (which hurts whatever comes after its budget) documents what triage names.
    assert.equal(FAULT_EXPECTATIONS[fault.id].needs === undefined, fault.id === 'rate-limit-tight', fault.id);
  }
});

test('the tight rate limit lets one exchange through a minute, then names the wait', () => {
  let now = 0;
  const limiter = new RateLimiter(() => now);
  assert.deepEqual(limiter.take('127.0.0.1', TIGHT_LIMIT), { allowed: true });
  assert.deepEqual(limiter.take('127.0.0.1', TIGHT_LIMIT), { allowed: false, retryAfterSeconds: 60 });
  assert.deepEqual(limiter.take('127.0.0.2', TIGHT_LIMIT), { allowed: true }, 'each client address has its own bucket');
  now += 30_000;
  assert.deepEqual(limiter.take('127.0.0.1', TIGHT_LIMIT), { allowed: false, retryAfterSeconds: 30 });
  now += 30_000;
  assert.deepEqual(limiter.take('127.0.0.1', TIGHT_LIMIT), { allowed: true });
});

test('a short code lifetime: the code reads as expired, not as unknown, once it has run out', () => {
  let now = 10_000_000;
  const store = new ReplicatedStore(0, () => now);
  store.codeLifetimeMs = 800;
  store.write('AuthorizationCode:c1', { exp: Math.floor(now / 1000) + 60 }, 60);
  store.write('Session:s1', { exp: Math.floor(now / 1000) + 60 }, 60);
  now += 799;
  assert.equal(store.read('AuthorizationCode:c1', 'primary')?.exp, Math.floor((now - 799) / 1000) + 60);
  now += 2;
  const expired = store.read('AuthorizationCode:c1', 'primary');
  assert.ok(expired && typeof expired.exp === 'number' && expired.exp <= Math.floor(now / 1000));
  assert.ok(store.read('Session:s1', 'primary'), 'other records keep their own lifetime');
});

test('the upstream email verification: Outlook-family addresses only, and a timeout named as such', async () => {
  assert.equal(isOutlookFamily('a@Hotmail.com'), true);
  assert.equal(isOutlookFamily('a@gmail.com'), false);
  const upstream = await startEmailVerificationUpstream(200);
  try {
    await assert.rejects(upstream.verify('a@outlook.com', 20), UpstreamTimeoutError);
    await upstream.verify('a@outlook.com', 2_000);
  } finally {
    await upstream.close();
  }
});

test('the drill verdict: detection, false positives, misses and misnamed causes', () => {
  const base = { profile: 'windows-chrome', ...BASELINE } as Cell;
  const cell = (title: string, axes: Partial<Cell>, status: string, cause?: string): DrillCell => ({
    title,
    axes: { ...base, ...axes },
    status,
    ...(cause ? { classification: { category: 'token_exchange_failed', cause, summary: '' } } : {}),
  });
  const expectation = FAULT_EXPECTATIONS['outlook-verify-timeout'];
  assert.ok(expectation);
  const good = judge(
    'outlook-verify-timeout',
    [
      cell('o1', { emailProvider: 'outlook', profile: 'windows-chrome' }, 'failed', 'upstream-email-verification'),
      cell('g1', { emailProvider: 'gmail', profile: 'windows-chrome' }, 'passed'),
    ],
    expectation,
  );
  assert.equal(good.passed, true);
  const bad = judge(
    'outlook-verify-timeout',
    [
      cell('o1', { emailProvider: 'outlook', profile: 'windows-chrome' }, 'failed', 'code-not-replicated'),
      cell('o2', { emailProvider: 'outlook', profile: 'ios-app' }, 'passed'),
      cell('g1', { emailProvider: 'gmail', profile: 'windows-chrome' }, 'failed', 'upstream-email-verification'),
    ],
    expectation,
  );
  assert.deepEqual([bad.passed, bad.falsePositives, bad.missed, bad.misnamed.length], [false, ['g1'], ['o2'], 1]);
  assert.equal(
    judge('outlook-verify-timeout', [cell('g1', { emailProvider: 'gmail', profile: 'windows-chrome' }, 'passed')], expectation).detected,
    false,
  );
});

test('the smoke and pairwise tiers each hold, for every fault, a cell it hurts and (but for the rate limit) one it spares', async () => {
  const { cellsFor } = await import('../matrix/cells.ts');
  for (const tier of ['smoke', 'pairwise'] as const) {
    const cells = cellsFor(tier);
    for (const [fault, expectation] of Object.entries(FAULT_EXPECTATIONS)) {
      assert.ok(
        cells.some((cell) => expectation.hurts(cell)),
        `${tier} holds a cell ${fault} hurts`,
      );
      if (!expectation.anyCellMayBeHurt)
        assert.ok(
          cells.some((cell) => !expectation.hurts(cell)),
          `${tier} holds a cell ${fault} spares`,
        );
    }
  }
});
