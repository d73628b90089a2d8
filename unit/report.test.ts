/**
 * `npm run report` as a user meets it: the page it writes shows the results it was given, never an
 * earlier report's, and it says where the page is and what it counts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const REPORT_SCRIPT = path.resolve('scripts/report.ts');

/** One Allure result file, as allure-playwright writes it for a cell. */
function writeResult(dir: string, name: string, status: 'passed' | 'failed'): void {
  const uuid = randomUUID();
  const start = Date.now();
  writeFileSync(
    path.join(dir, `${uuid}-result.json`),
    JSON.stringify({
      uuid,
      name,
      fullName: `tests/matrix.spec.ts#sign-in matrix ${name}`,
      historyId: name,
      status,
      statusDetails: status === 'failed' ? { message: 'token_exchange_failed (edge): the token request lost its code' } : {},
      stage: 'finished',
      steps: [],
      attachments: [],
      parameters: [],
      labels: [{ name: 'suite', value: 'sign-in matrix' }],
      links: [],
      start,
      stop: start + 1000,
    }),
  );
}

function report(cwd: string, resultsDir: string): { status: number | null; output: string; stats: Record<string, number> } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', REPORT_SCRIPT, resultsDir], { cwd, encoding: 'utf8' });
  const summary = path.join(cwd, 'allure-report', 'summary.json');
  const stats = existsSync(summary) ? (JSON.parse(readFileSync(summary, 'utf8')) as { stats: Record<string, number> }).stats : {};
  return { status: run.status, output: `${run.stdout}${run.stderr}`, stats };
}

test('npm run report after a green run and then a red one shows the red run, and says where and what', (t) => {
  // Inside the project, so the report's config resolves Allure from node_modules.
  const cwd = mkdtempSync(path.resolve('.report-test-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  copyFileSync('allurerc.mjs', path.join(cwd, 'allurerc.mjs'));
  // The report's categories come from the suite's category table, beside the config.
  mkdirSync(path.join(cwd, 'evidence'), { recursive: true });
  copyFileSync('evidence/verdict.ts', path.join(cwd, 'evidence', 'verdict.ts'));

  const green = path.join(cwd, 'green');
  mkdirSync(green);
  for (const cell of ['a', 'b', 'c']) writeResult(green, `windows-chrome · cell ${cell}`, 'passed');
  const first = report(cwd, 'green');
  assert.equal(first.status, 0, first.output);
  assert.deepEqual([first.stats.total, first.stats.passed, first.stats.failed], [3, 3, undefined]);

  const red = path.join(cwd, 'red');
  mkdirSync(red);
  writeResult(red, 'windows-chrome · cell a', 'passed');
  writeResult(red, 'windows-chrome · cell b', 'failed');
  const second = report(cwd, 'red');
  assert.equal(second.status, 0, second.output);
  assert.deepEqual([second.stats.total, second.stats.passed, second.stats.failed], [2, 1, 1]);
  assert.match(
    second.output,
    new RegExp(`Allure report of 2 results \\(1 passed, 1 failed\\) from red: ${cwd}/allure-report/index\\.html`),
  );
  // Nothing of the green report is left beside it: one file per result of this run.
  assert.equal(readdirSync(path.join(cwd, 'allure-report', 'data', 'test-results')).length, 2);
});

test('npm run report with no results names the folder and the command that makes them, and leaves the last report', (t) => {
  const cwd = mkdtempSync(path.resolve('.report-test-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  copyFileSync('allurerc.mjs', path.join(cwd, 'allurerc.mjs'));
  // The report's categories come from the suite's category table, beside the config.
  mkdirSync(path.join(cwd, 'evidence'), { recursive: true });
  copyFileSync('evidence/verdict.ts', path.join(cwd, 'evidence', 'verdict.ts'));
  mkdirSync(path.join(cwd, 'allure-report'));
  writeFileSync(path.join(cwd, 'allure-report', 'index.html'), 'the last report');
  const result = report(cwd, 'nowhere');
  assert.equal(result.status, 2);
  assert.match(result.output, /nowhere does not exist.*\nRun the suite first \(npx playwright test\)/);
  assert.equal(readFileSync(path.join(cwd, 'allure-report', 'index.html'), 'utf8'), 'the last report');
});
