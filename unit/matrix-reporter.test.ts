import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { FullConfig, FullResult, TestCase, TestResult } from '@playwright/test/reporter';
import { recordClassification, type Classification } from '../evidence/verdict.ts';
import { cellAnnotation, cellTitle, listedAnnotation, SEED_CASE, type Cell } from '../matrix/cells.ts';
import MatrixReporter, { RUN_METADATA_KEY } from '../reporters/matrix-reporter.ts';

const SEED = SEED_CASE;
const CELL_OK: Cell = { ...SEED, emailProvider: 'gmail', plan: 'free' };
const CELL_RED = SEED;
const CELL_FLAKY: Cell = { ...SEED, profile: 'ios-app', phone: 'bound', mfa: 'totp', network: 'edge-east' };
const TITLE_OK = cellTitle(CELL_OK);
const TITLE_RED = cellTitle(CELL_RED);
const TITLE_FLAKY = cellTitle(CELL_FLAKY);

function fakeTest(cell: Cell | string, outcome: ReturnType<TestCase['outcome']>): TestCase {
  return {
    title: typeof cell === 'string' ? cell : cellTitle(cell),
    annotations: typeof cell === 'string' ? [] : [cellAnnotation(cell)],
    outcome: () => outcome,
    parent: { project: () => ({ name: typeof cell === 'string' ? 'windows-chrome' : cell.profile }) },
  } as unknown as TestCase;
}

function fakeResult(status: TestResult['status'], retry: number, message?: string, classification?: Classification): TestResult {
  const result = {
    status,
    retry,
    duration: 1000,
    annotations: [{ type: 'browser', description: 'chromium 156' }],
    errors: [],
    ...(message ? { error: { message } } : {}),
  };
  if (classification) recordClassification(result, classification);
  return result as unknown as TestResult;
}

const upstream: Classification = {
  category: 'token_exchange_failed',
  cause: 'upstream-email-verification',
  summary: 'the upstream did not answer; 503',
};

test('the summary names red cells with their cause, and a pass after a token_exchange_failed is intermittent', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-reporter-'));
  const reporter = new MatrixReporter({
    outputDir: dir,
    allureResultsDir: dir,
    recordHistory: false,
    tier: 'pairwise',
    target: 'lab',
    faults: ['outlook-verify-timeout'],
  });
  const stderr = t.mock.method(process.stderr, 'write', () => true);
  t.mock.method(process.stdout, 'write', () => true);
  {
    reporter.onBegin({ projects: [], version: '1.65.1' } as unknown as FullConfig);
    reporter.onTestEnd(fakeTest(CELL_OK, 'expected'), fakeResult('passed', 0));
    const red = fakeTest(CELL_RED, 'unexpected');
    // The message says one thing, the recorded classification another: the reporter reads the data.
    reporter.onTestEnd(red, fakeResult('failed', 0, 'test-defect (locator): not what happened\n\nmore', upstream));
    const flaky = fakeTest(CELL_FLAKY, 'flaky');
    reporter.onTestEnd(
      flaky,
      fakeResult('failed', 0, 'unknown code', { category: 'token_exchange_failed', cause: 'code-not-replicated', summary: 'unknown code' }),
    );
    // A test that is not a cell, whose title has the shape of one, is counted apart.
    reporter.onTestEnd(fakeTest(TITLE_OK, 'expected'), fakeResult('passed', 0));
    reporter.onTestEnd(flaky, fakeResult('passed', 1));
    await reporter.onEnd({ status: 'failed', duration: 5000 } as FullResult);
  }
  t.mock.restoreAll();
  const warnings = stderr.mock.calls.map((call) => String(call.arguments[0]));
  assert.ok(warnings.some((line) => line.includes('intermittent regression') && line.includes(TITLE_FLAKY)));
  const summary = JSON.parse(readFileSync(path.join(dir, 'matrix-summary.json'), 'utf8')) as {
    totals: Record<string, number>;
    cells: { title: string; status: string; classification?: { cause: string } }[];
  };
  assert.deepEqual([summary.totals.cells, summary.totals.passed, summary.totals.failed, summary.totals.intermittent], [3, 1, 1, 1]);
  assert.equal(summary.totals.otherTests, 1, 'a title shaped like a cell does not make a test a cell');
  assert.equal(summary.cells.find((cell) => cell.title === TITLE_RED)?.classification?.cause, 'upstream-email-verification');
  const markdown = readFileSync(path.join(dir, 'matrix-summary.md'), 'utf8');
  assert.match(markdown, /1 of 3 cells failed; 1 passed only on retry \(intermittent\)/);
  assert.match(markdown, new RegExp(`\\| ${TITLE_RED} \\| failed \\| token_exchange_failed \\(upstream-email-verification\\)`));
  assert.match(markdown, /\| ios-app \| .*~/);
  assert.match(readFileSync(path.join(dir, 'matrix-heatmap.html'), 'utf8'), /<td style="background:#c62828"/);
  assert.match(readFileSync(path.join(dir, 'environment.properties'), 'utf8'), /browsers=chromium 156/);
});

test('a clean run says so', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-reporter-'));
  const reporter = new MatrixReporter({
    outputDir: dir,
    allureResultsDir: dir,
    recordHistory: false,
    tier: 'smoke',
    target: 'lab',
    faults: [],
    fixedAxes: { phone: 'none' },
  });
  t.mock.method(process.stdout, 'write', () => true);
  reporter.onBegin({ projects: [], version: '1.65.1' } as unknown as FullConfig);
  reporter.onTestEnd(fakeTest(CELL_OK, 'expected'), fakeResult('passed', 0));
  // A listed cell (MATRIX_CELLS) whose title does not end in its label: the label travels as data.
  const listed = {
    ...fakeTest(CELL_RED, 'expected'),
    title: 'renamed',
    annotations: [cellAnnotation(CELL_RED), listedAnnotation('r1.mfa')],
  };
  reporter.onTestEnd(listed, fakeResult('passed', 0));
  await reporter.onEnd({ status: 'passed', duration: 1000 } as FullResult);
  t.mock.restoreAll();
  const summary = JSON.parse(readFileSync(path.join(dir, 'matrix-summary.json'), 'utf8')) as { cells: { title: string; label?: string }[] };
  assert.deepEqual(
    summary.cells.map((cell) => cell.label),
    [undefined, 'r1.mfa'],
  );
  const markdown = readFileSync(path.join(dir, 'matrix-summary.md'), 'utf8');
  assert.match(markdown, /\*\*All 2 cells of the smoke tier passed\.\*\*/);
  assert.match(markdown, /_phone does not apply to this target: every cell has phone=none\._/);
});

test('a skipped cell is counted apart from the passed ones and listed with its reason', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-reporter-'));
  const reporter = new MatrixReporter({
    outputDir: dir,
    allureResultsDir: dir,
    recordHistory: false,
    tier: 'smoke',
    target: 'oidc-dev',
    faults: [],
  });
  t.mock.method(process.stderr, 'write', () => true);
  const stdout = t.mock.method(process.stdout, 'write', () => true);
  reporter.onBegin({ projects: [], version: '1.65.1' } as unknown as FullConfig);
  reporter.onTestEnd(fakeTest(CELL_OK, 'expected'), fakeResult('passed', 0));
  const skipped = {
    ...fakeResult('skipped', 0),
    annotations: [{ type: 'skip', description: 'target oidc-dev registers no iOS app client' }],
  };
  reporter.onTestEnd(fakeTest(CELL_FLAKY, 'skipped'), skipped);
  await reporter.onEnd({ status: 'passed', startTime: new Date(), duration: 1000 });

  const markdown = readFileSync(path.join(dir, 'matrix-summary.md'), 'utf8');
  assert.match(markdown, /All 1 cells of the smoke tier that ran passed; 1 of 2 were skipped\./);
  assert.match(
    markdown,
    /## Skipped cells[\s\S]*ios-app · outlook\/bound\/plus\/totp[^|]*\| target oidc-dev registers no iOS app client \|/,
  );
  const printed = stdout.mock.calls.map((call) => String(call.arguments[0])).join('');
  assert.match(printed, /skipped: target oidc-dev registers no iOS app client/);
  // Coverage is claimed for the cell that ran, not for the tier's list.
  assert.match(
    markdown,
    /pair coverage (\d+)\/(\d+) \([\d.]+%\) over the 1 cells that ran; 1 skipped: 1 target oidc-dev registers no iOS app client/,
  );
  const [, covered, allowed] = /pair coverage (\d+)\/(\d+)/.exec(markdown) ?? [];
  assert.ok(Number(covered) < Number(allowed));
});

test('the run described in the config metadata (as merged blob reports carry it) wins over the merging machine', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-reporter-'));
  // merge.config.ts gives no tier or faults: the shards' metadata does.
  const reporter = new MatrixReporter({ outputDir: dir, allureResultsDir: dir, recordHistory: false });
  t.mock.method(process.stdout, 'write', () => true);
  t.mock.method(process.stderr, 'write', () => true);
  const run = { tier: 'smoke', target: 'lab (http://127.0.0.1:4700)', faults: ['replica-lag'], fixedAxes: {} };
  reporter.onBegin({ projects: [], version: '1.65.1', metadata: { [RUN_METADATA_KEY]: run } } as unknown as FullConfig);
  reporter.onTestEnd(fakeTest(CELL_RED, 'unexpected'), fakeResult('failed', 0, 'unknown code', upstream));
  await reporter.onEnd({ status: 'failed', duration: 1000 } as FullResult);
  t.mock.restoreAll();
  const summary = JSON.parse(readFileSync(path.join(dir, 'matrix-summary.json'), 'utf8')) as { run: { tier: string; faults: string[] } };
  assert.deepEqual([summary.run.tier, summary.run.faults], ['smoke', ['replica-lag']]);
  assert.match(readFileSync(path.join(dir, 'environment.properties'), 'utf8'), /tier=smoke\nlab\.faults=replica-lag/);
});
