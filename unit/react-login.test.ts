/**
 * Real logins, as a user points the suite at one: a React login UI whose fields are controlled
 * inputs (examples/react-idp), a second factor asked of enrolled accounts only, an interstitial
 * and a consent screen with a checkbox. The suite signs in through it with only settings changed,
 * names a screen nobody described, keeps the OAuth error of an app that navigates away at once,
 * and leaves no secret anywhere even when it fails with a typed password on the page.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startReactIdp } from '../examples/react-idp/server.ts';
import { runPlaywright, runSuite } from '../scripts/processes.ts';
import { scanRun } from './artifact-scan.ts';
import { codesSince, exampleRunner, exampleSettings, passwords, totpSecrets } from './example-harness.ts';
import { assertOnlyOutlookRed, cellsThatRan } from './matrix-summary-file.ts';

const PORT = 4890;
const settings = (extra: Record<string, string> = {}) => ({ ...exampleSettings('react-idp', PORT), ...extra });
const idp = exampleRunner(startReactIdp, PORT);

function stepTitles(): string[] {
  const titles: string[] = [];
  const walk = (steps: { name: string; steps?: unknown[] }[]) => {
    for (const step of steps) {
      titles.push(step.name);
      walk((step.steps ?? []) as { name: string; steps?: unknown[] }[]);
    }
  };
  for (const file of readdirSync('allure-results').filter((name) => name.endsWith('-result.json'))) {
    walk((JSON.parse(readFileSync(path.join('allure-results', file), 'utf8')) as { steps: { name: string }[] }).steps);
  }
  return titles;
}

test('the smoke tier signs in through a React login: TOTP asked of one account and not the others, past the success toasts the example shows, the interstitial and a box per scope', async () => {
  await idp();
  const started = Date.now();
  rmSync('blob-report', { recursive: true, force: true });
  const result = await runSuite(
    ['tests/matrix.spec.ts', '--workers', '2'],
    settings({ EVIDENCE: 'always', BLOB_REPORT: '1', BLOB_NAME: 'react-idp' }),
  );
  assert.equal(result.status, 0, result.output);
  assert.match(result.output, /All 3 cells of the smoke tier that ran passed; 2 of 5 were skipped\./);
  const titles = stepTitles();
  assert.ok(titles.includes('Enter the verification code (totp)'), 'the enrolled account was asked for its authenticator code');
  assert.ok(titles.includes('Enter the user name'), 'the provider asks for the user name (screens.email.value: login)');
  assert.ok(titles.includes('Pass "Stay signed in?"'), 'the interstitial was passed');
  assert.ok(titles.includes('Confirm consent'), 'the consent screen was passed');
  // Every step the runner recorded, Playwright's own actions included, as a report built from the
  // run's blob would show them.
  const merged = await runPlaywright(['merge-reports', '--reporter', './unit/step-titles.reporter.ts', 'blob-report']);
  assert.equal(merged.status, 0, merged.output);
  assert.match(merged.output, /^Fill "\[redacted\]"$/m, 'the password was typed with fill; its value never reached the runner');
  assert.deepEqual(scanRun([result.output, merged.output], passwords, codesSince(started)).findings, []);
  // Merged on a machine set for another tier and the lab, the summary still describes the run.
  const remerged = await runPlaywright(['merge-reports', '--config', 'merge.config.ts', 'blob-report'], {
    MATRIX: 'pairwise',
    TARGET: 'lab',
    ACCOUNTS_FILE: undefined,
  });
  assert.equal(remerged.status, 0, remerged.output);
  const summary = JSON.parse(readFileSync('reports/matrix-summary.json', 'utf8')) as { run: { tier: string; target: string } };
  assert.deepEqual([summary.run.tier, summary.run.target.startsWith('react-idp')], ['smoke', true]);
  for (const secret of totpSecrets) assert.equal(result.output.includes(secret), false);
});

test('a token endpoint that answers invalid_grant for Outlook-family accounts turns exactly those cells red, with the OAuth error quoted', async () => {
  await idp(['outlook-invalid-grant']);
  const result = await runSuite(['tests/matrix.spec.ts', '--workers', '2'], settings());
  assert.notEqual(result.status, 0);
  assertOnlyOutlookRed('invalid-grant', /invalid_grant "grant request is invalid \(mailbox ownership could not be confirmed\)"/);
});

test('an account with an authenticator the provider stops asking for its code fails as security-regression (second-factor-not-asked), the others green', async () => {
  await idp(['totp-not-asked']);
  const result = await runSuite(['tests/matrix.spec.ts', '--workers', '2'], settings());
  assert.notEqual(result.status, 0);
  assert.match(
    result.output,
    /security-regression \(second-factor-not-asked\): the account has a totp second factor enrolled and was signed in without being asked for it/,
  );
  for (const cell of cellsThatRan()) {
    if (cell.axes?.mfa === 'totp') {
      assert.equal(cell.status, 'failed', cell.title);
      assert.deepEqual([cell.classification?.category, cell.classification?.cause], ['security-regression', 'second-factor-not-asked']);
    } else assert.equal(cell.status, 'passed', cell.title);
  }
});

test('a screen the profile does not describe stops the cell with its headings, fields and buttons listed', async (t) => {
  await idp();
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-profile-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const profile = JSON.parse(readFileSync('targets/react-idp.json', 'utf8')) as { screens: Record<string, unknown> };
  profile.screens.interstitials = [];
  const file = path.join(dir, 'no-interstitial.json');
  writeFileSync(file, JSON.stringify({ ...profile, $schema: undefined }));
  const result = await runSuite(['tests/matrix.spec.ts', '--grep', '@windows-chrome'], settings({ TARGET: file }));
  assert.notEqual(result.status, 0);
  assert.match(
    result.output,
    /login-step-failed \(unknown-screen\): no screen the target profile describes is showing at http:\/\/127\.0\.0\.1:4890\/interaction\//,
  );
  assert.match(result.output, /headings: "Stay signed in\?"; fields: none; buttons: "Yes", "No"/);
});

test('a locator that fails with a typed password on the page (mirrored into an attribute) leaks no password, code or TOTP secret', async (t) => {
  await idp();
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-profile-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const profile = JSON.parse(readFileSync('targets/react-idp.json', 'utf8')) as { screens: { password: { submit: unknown } } };
  profile.screens.password.submit = 'Log on';
  const file = path.join(dir, 'wrong-button.json');
  writeFileSync(file, JSON.stringify({ ...profile, $schema: undefined }));
  const started = Date.now();
  const result = await runSuite(['tests/matrix.spec.ts', '--grep', '@windows-chrome|@android-chrome'], settings({ TARGET: file }));
  assert.notEqual(result.status, 0, 'the cells fail on the missing button');
  assert.match(result.output, /getByRole\('button', \{ name: 'Log on' \}\)/);
  const { findings, files } = scanRun([result.output], passwords, codesSince(started));
  assert.ok(
    files.some((file) => file.endsWith('error-context.md')),
    'Playwright wrote its error context, page snapshot included',
  );
  const context = files.filter((file) => file.endsWith('error-context.md')).map((file) => readFileSync(file, 'utf8'));
  assert.ok(
    context.some((text) => /textbox "Password"/.test(text)),
    'the error context holds the password field',
  );
  assert.deepEqual(findings, [], `secrets leaked:\n${findings.join('\n')}`);
  for (const secret of totpSecrets) assert.equal(result.output.includes(secret), false);
});

test('a run in which every cell is skipped fails, saying it tested nothing; the gate refuses its summary', async () => {
  await idp();
  // The example registers no iOS app: every ios-app cell is skipped.
  const result = await runSuite(['tests/matrix.spec.ts', '--grep', '@ios-app'], settings());
  assert.notEqual(result.status, 0, result.output);
  assert.match(
    result.output,
    /authmatrix: no test ran: all 1 were skipped \(target react-idp registers no iOS app client \(nativeClients\.ios\)\); failing the run, since it tested nothing/,
  );
  const gate = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gate.ts'], { encoding: 'utf8' });
  assert.equal(gate.status, 1);
  assert.match(gate.stderr, /gate: no matrix cell ran in reports\/matrix-summary\.json \(1 listed, all skipped or none selected\)/);
});

test('--list runs no test and leaves the last summary as it was', async () => {
  const before = readFileSync('reports/matrix-summary.json', 'utf8');
  const result = await runSuite(['tests/matrix.spec.ts', '--list'], settings());
  assert.equal(result.status, 0, result.output);
  assert.equal(readFileSync('reports/matrix-summary.json', 'utf8'), before);
});
