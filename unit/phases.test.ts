/**
 * Where a run's time goes: the phase reporter's split of each test and of each worker slot, and
 * the bench's ideal and shard projection built on it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestStep } from '@playwright/test/reporter';
import { idealWallMs, phaseChartSvg, projectShards, shardsFor } from '../bench/analysis.ts';
import { cellCostModel } from '../matrix/cost.ts';
import { PHASES, phaseReport, testPhases, type PhaseTest } from '../reporters/phase-reporter.ts';
import type { Cell } from '../matrix/cells.ts';

const step = (title: string, category: string, duration: number, steps: TestStep[] = []) =>
  ({ title, category, duration, steps }) as unknown as TestStep;

test("a test's time is split by its steps' own time, nested calls counted in their screen, teardown whatever the fixture", () => {
  const phases = testPhases({
    duration: 5000,
    steps: [
      step('Before Hooks', 'hook', 1500, [
        step('Fixture "browser"', 'fixture', 600),
        step('Fixture "context"', 'fixture', 200),
        step('Fixture "page"', 'fixture', 100),
        step('Fixture "account"', 'fixture', 300),
      ]),
      step('Sign in', 'test.step', 3000, [
        step('Enter the email address', 'test.step', 400, [step('locator.fill', 'pw:api', 150)]),
        step('Enter the verification code (totp)', 'test.step', 500),
        step('Wait for the app to finish signing in', 'test.step', 900),
      ]),
      step('After Hooks', 'hook', 400, [step('Fixture "context"', 'fixture', 250)]),
    ],
  });
  assert.deepEqual(phases, {
    'suite fixtures: account, conditions, evidence': 300 + 300,
    'browser launch': 600,
    'context and page': 300,
    'between screens: page loads': 1200,
    'email screen': 400,
    'second-factor screen': 500,
    'redirect, token exchange, signed-in app': 900,
    teardown: 400,
    'test body: cookies, clock, check': 100,
  });
  assert.equal(
    Object.values(phases).reduce((sum, ms) => sum + ms, 0),
    5000,
  );
});

const run = (slot: number, workerIndex: number, startMs: number, durationMs: number, cell?: Partial<Cell>): PhaseTest => ({
  title: `t${startMs}`,
  cell: cell as Cell | undefined,
  status: 'passed',
  slot,
  workerIndex,
  startMs,
  durationMs,
  phases: { 'email screen': durationMs },
});

test("a run's phases add up to workers × wall: worker starts, dispatch gaps, idle slots, start and end", () => {
  const report = phaseReport([run(0, 0, 3000, 4000), run(0, 0, 7100, 4000), run(1, 1, 3500, 3000), run(1, 2, 9000, 1000)], 2, 2000, 12_000);
  assert.equal(report.phases['runner start: config, lab, global setup'], 4000);
  assert.equal(report.phases['worker start'], 1000 + 1500 + 2500);
  assert.equal(report.phases['dispatch between tests'], 100);
  assert.equal(report.phases['idle: waiting for other workers'], 1100);
  assert.equal(report.phases['run end: workers stop, reports'], 2 * 900);
  assert.equal(
    PHASES.reduce((sum, phase) => sum + report.phases[phase], 0),
    2 * 12_000,
  );
  assert.match(phaseChartSvg(report, 'run'), /<svg[\s\S]*email screen[\s\S]*<\/svg>/);
});

test("the ideal counts edge-west at its measured floor, a second journey for cookies cleared mid-flow, a stale login's abandoned attempt", () => {
  const floor = { minimalMs: 3000, minimalEdgeWestMs: 5000, toEmailScreenMs: 400, toEmailScreenEdgeWestMs: 1500 };
  const cells = [
    { network: 'direct', cookies: 'fresh' },
    { network: 'edge-west', cookies: 'fresh' },
    { network: 'direct', cookies: 'cleared-mid-flow' },
    { network: 'direct', cookies: 'stale-login' },
    { network: 'edge-west', cookies: 'stale-login' },
  ] as Cell[];
  assert.equal(idealWallMs(cells, floor, 2), (3000 + 5000 + 6000 + 3400 + 6500) / 2);
});

test('shards: each job pays its fixed cost and its dearest slice; the nightly takes the fewest that fit the budget', () => {
  const measured = [
    run(0, 0, 0, 4000, { network: 'edge-west', cookies: 'fresh' }),
    run(0, 0, 0, 2000, { network: 'direct', cookies: 'fresh' }),
  ];
  const cost = cellCostModel(measured);
  assert.equal(cost({ network: 'edge-west', cookies: 'fresh' }), 4000);
  assert.equal(cost({ network: 'corporate', cookies: 'returning' }), 3000);
  const cells = Array.from({ length: 60 }, () => ({ network: 'direct', cookies: 'fresh' }) as Cell);
  const projection = projectShards(cells, cost, 2, 10_000, 4);
  assert.deepEqual(
    projection.map((entry) => entry.seconds),
    [10 + 60, 10 + 30, 10 + 20, 10 + 15],
  );
  assert.equal(shardsFor(projection, 45), 2);
  assert.equal(shardsFor(projection, 5), 4);
});
