/**
 * Triage's rounds (scripts/triage-runner.ts) against simulated faults: which cells it re-runs, in
 * how many rounds, and what it concludes — a value, a combination found by delta debugging, an
 * intermittent failure — within the re-run budget.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axes } from '../matrix/axes.ts';
import { cellKey, SEED_CASE, type Cell } from '../matrix/cells.ts';
import { renderVerdict, type AxisValues } from '../matrix/triage.ts';
import { triage, type Planned, type RerunOutcome, type RunSummary } from '../scripts/triage-runner.ts';

const values = axes() as unknown as AxisValues;
const SIGNATURE = { category: 'token_exchange_failed', cause: 'claims-error', summary: 'the claims source failed' } as const;
const LABEL = 'token_exchange_failed (claims-error)';

function summaryOf(red: Cell): RunSummary {
  return {
    run: { tier: 'pairwise', faults: [] },
    cells: [{ title: cellKey(red), status: 'failed', axes: red, classification: SIGNATURE }],
  };
}

/** A fault as a function of the cell (and of how many times it has run, for flaky ones); records each round. */
function simulate(hurts: (cell: Cell, run: number) => boolean) {
  const rounds: Planned[][] = [];
  let runs = 0;
  const runRound = (planned: readonly Planned[]) => {
    rounds.push([...planned]);
    const outcomes = new Map<string, RerunOutcome>();
    for (const { label, cell } of planned)
      outcomes.set(label, hurts(cell, runs++) ? { status: 'failed', signature: LABEL } : { status: 'passed' });
    return Promise.resolve(outcomes);
  };
  return { rounds, runRound };
}

const options = { env: {}, workers: 2, outputDir: 'unused', values };

test('a fault of one value is settled in two rounds, each move of round 2 confirming round 1', async () => {
  const { rounds, runRound } = simulate((cell) => cell.plan === 'plus');
  const red: Cell = { ...SEED_CASE, plan: 'plus' };
  const [verdict] = await triage(summaryOf(red), { ...options, runRound });
  assert.equal(verdict?.outcome, 'settled');
  assert.deepEqual(
    verdict.needs.map((need) => need.label),
    ['plan=plus'],
  );
  assert.equal(rounds.length, 2);
  assert.ok(verdict.reruns <= 18, `${verdict.reruns} re-runs`);
  assert.equal(
    rounds[1]?.filter((planned) => planned.label.startsWith('s0.plan.first.')).length,
    2,
    'the green move runs twice more (k = 3)',
  );
});

test('values each enough on their own are found by delta debugging when the confirming cell passes', async () => {
  // Either Outlook or Plus breaks it: moving either alone leaves the cell red, moving both turns it green.
  const { rounds, runRound } = simulate((cell) => cell.emailProvider === 'outlook' || cell.plan === 'plus');
  const red: Cell = { ...SEED_CASE, emailProvider: 'outlook', plan: 'plus' };
  const [verdict] = await triage(summaryOf(red), { ...options, runRound });
  assert.equal(verdict?.outcome, 'combination');
  const together = verdict.together?.map((condition) => condition.label) ?? [];
  assert.equal(together.length, 1, JSON.stringify(together));
  assert.ok(['emailProvider=outlook', 'plan=plus'].includes(together[0] ?? ''), together[0]);
  assert.ok(verdict.reruns <= 18, `${verdict.reruns} re-runs`);
  assert.ok(rounds.length >= 3, 'a round for the red cell again and the first split');
  assert.match(
    renderVerdict(verdict),
    /needs (emailProvider=outlook|plan=plus) — single moves did not settle it; delta debugging found these with every other axis at its baseline/,
  );
});

test('a failure that does not come back, or a move that disagrees with itself, is reported as intermittent', async () => {
  // Red every other run: the green move is not green three times in a row.
  const flaky = simulate((cell, run) => cell.plan === 'plus' && run % 2 === 0);
  const [verdict] = await triage(summaryOf({ ...SEED_CASE, plan: 'plus' }), { ...options, runRound: flaky.runRound });
  assert.equal(verdict?.outcome, 'intermittent');
  assert.match(renderVerdict(verdict), /is intermittent/);
  // Never red again: the confirming cell passes, and so does the red cell itself.
  const gone = simulate(() => false);
  const [again] = await triage(summaryOf({ ...SEED_CASE, plan: 'plus' }), { ...options, runRound: gone.runRound });
  assert.equal(again?.outcome, 'intermittent');
  assert.match(renderVerdict(again), /did not fail again/);
});

test('no round runs past the budget of 2 × axes + 2 re-runs', async () => {
  // Any of five values is enough: delta debugging has the most to do.
  const { runRound } = simulate(
    (cell) =>
      cell.emailProvider === 'outlook' ||
      cell.plan === 'plus' ||
      cell.phone === 'none' ||
      cell.network === 'edge-west' ||
      cell.cookies === 'stale-login',
  );
  const red: Cell = { ...SEED_CASE, emailProvider: 'outlook', plan: 'plus', phone: 'none', network: 'edge-west', cookies: 'stale-login' };
  const [verdict] = await triage(summaryOf(red), { ...options, runRound });
  assert.ok(verdict && verdict.reruns <= 18, `${verdict?.reruns} re-runs`);
  assert.equal(verdict.outcome, 'combination');
});

test("a cell only browsers can take moves its client in round 1: another browser's answer names the condition", async () => {
  // A stale-login cookie jar is a browser's: no native client can take the cell, so the client's
  // only move is another browser profile, run with the first moves rather than a round later.
  const { rounds, runRound } = simulate((cell) => cell.network === 'edge-west');
  const red: Cell = { ...SEED_CASE, profile: 'macos-safari', cookies: 'stale-login', network: 'edge-west' };
  const [verdict] = await triage(summaryOf(red), { ...options, runRound });
  assert.equal(verdict?.outcome, 'settled');
  assert.deepEqual(
    verdict.needs.map((need) => need.label),
    ['client=browser', 'network=edge-west'],
  );
  assert.ok(
    rounds[0]?.some((planned) => planned.label === 's0.profile.second'),
    'the client moves in round 1',
  );
  assert.ok(!rounds[1]?.some((planned) => planned.label === 's0.profile.second'), 'and not again in round 2');
});

test('re-runs go longest first, by the run’s own times for their network path and cookie condition', async () => {
  const { rounds, runRound } = simulate((cell) => cell.network === 'edge-west');
  const red: Cell = { ...SEED_CASE, profile: 'macos-safari', cookies: 'stale-login', network: 'edge-west' };
  const summary: RunSummary = {
    run: { tier: 'smoke', faults: [] },
    cells: [
      { title: cellKey(red), status: 'failed', axes: red, classification: SIGNATURE, durationMs: 8_000 },
      { title: 'fresh', status: 'passed', axes: SEED_CASE, durationMs: 1_000 },
    ],
  };
  await triage(summary, { ...options, runRound });
  const first = rounds[0]?.map((planned) => planned.label) ?? [];
  // Moving the path off edge-west or the cookies off a stale login makes the cell cheaper: those go last.
  assert.deepEqual(first.slice(-2).sort(), ['s0.cookies.first', 's0.network.first']);
});
