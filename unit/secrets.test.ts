/**
 * No secret reaches an artifact. The suite runs against the lab with canary accounts from an
 * ACCOUNTS_FILE — once passing with EVIDENCE=always, once failing (plus-claims-error armed, so
 * screenshots, error context, evidence and lab logs are all written) — and every artifact and the
 * run's own output are scanned for the canaries, their TOTP codes, tokens and secret parameters.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Secret, TOTP } from 'otpauth';

const ARTIFACT_DIRS = ['allure-results', 'test-results', 'reports', 'playwright-report', 'blob-report'];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => path.join(dir, entry))
    .filter((file) => statSync(file).isFile());
}

function runSuite(env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', 'tests/login.spec.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (status) => resolve({ status, output }));
  });
}

function leaks(text: string, canaries: string[], codes: string[]): string[] {
  const found = canaries.filter((canary) => text.includes(canary));
  for (const code of codes) if (new RegExp(`(^|\\D)${code}(\\D|$)`).test(text)) found.push(`TOTP code ${code}`);
  if (/eyJ[\w-]{8,}\.eyJ[\w-]{8,}/.test(text)) found.push('a JWT');
  if (/code_verifier=(?!\[redacted\])[\w-]{20,}/.test(text)) found.push('a PKCE verifier');
  if (/[?&]code=(?!\[redacted\])[\w-]{20,}/.test(text)) found.push('an authorization code');
  if (/_session(\.sig)?=(?!\[redacted\])[\w-]{10,}/.test(text)) found.push('a session cookie');
  return found;
}

test('canary secrets appear in no report, result, trace, screenshot text, log or console output', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-canary-'));
  const secret = new Secret({ size: 20 }).base32;
  const password = `Canary-Pw-${randomBytes(9).toString('hex')}`;
  const accountsFile = path.join(dir, 'accounts.json');
  writeFileSync(
    accountsFile,
    JSON.stringify([
      { email: `canary.${randomBytes(4).toString('hex')}@gmail.com`, password, totpSecret: secret, phone: '+15550009999', plan: 'plus' },
    ]),
  );
  const totp = new TOTP({ secret, period: 30, digits: 6 });
  const started = Date.now();

  const runs = [
    await runSuite({ ACCOUNTS_FILE: accountsFile, EVIDENCE: 'always', LAB_PORT: '4770', CI: '1', LAB_FAULTS: '' }),
    await runSuite({ ACCOUNTS_FILE: accountsFile, EVIDENCE: 'always', LAB_PORT: '4770', CI: '1', LAB_FAULTS: 'plus-claims-error' }),
  ];
  assert.equal(runs[0]?.status, 0, `the clean run passes:\n${runs[0]?.output ?? ''}`);
  assert.notEqual(runs[1]?.status, 0, 'the run with plus-claims-error fails, writing failure artifacts');
  assert.match(runs[1]?.output ?? '', /token_exchange_failed \(claims-error\)/);

  const codes: string[] = [];
  for (let at = started - 60_000; at <= Date.now() + 60_000; at += 30_000) codes.push(totp.generate({ timestamp: at }));
  const canaries = [password, secret];
  const findings: string[] = [];
  for (const [index, run] of runs.entries())
    for (const leak of leaks(run.output, canaries, codes)) findings.push(`run ${index + 1} output: ${leak}`);
  const scanned = ARTIFACT_DIRS.flatMap(filesUnder);
  assert.ok(
    scanned.some((file) => file.endsWith('.png')),
    'a failure screenshot was written',
  );
  assert.ok(
    scanned.some((file) => file.includes('attachment')),
    'evidence was attached',
  );
  for (const file of scanned) for (const leak of leaks(readFileSync(file, 'latin1'), canaries, codes)) findings.push(`${file}: ${leak}`);
  assert.deepEqual(findings, [], `secrets leaked:\n${findings.join('\n')}`);
});

test('a run asked for traces stops before any test, saying why', async () => {
  const child = spawn(
    process.execPath,
    ['node_modules/@playwright/test/cli.js', 'test', 'tests/platform-presentation.spec.ts', '--project', 'windows-chrome', '--trace', 'on'],
    { env: { ...process.env, LAB_PORT: '4772', CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.notEqual(status, 0);
  assert.match(output, /traces are refused: a Playwright trace \(--trace on\) records what is typed/);
  assert.doesNotMatch(output, /\d+ passed/);
});
