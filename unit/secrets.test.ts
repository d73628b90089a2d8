/**
 * No secret reaches an artifact. The suite runs against the lab with canary accounts from an
 * ACCOUNTS_FILE — once passing with EVIDENCE=always, once failing (plus-claims-error armed, so
 * screenshots, error context, evidence and lab logs are all written) — and every artifact and the
 * run's own output are scanned for the canaries, their TOTP codes, tokens and secret parameters.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { scanRun } from './artifact-scan.ts';
import { runSuite } from '../scripts/processes.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Secret, TOTP } from 'otpauth';

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
  // The lab's admin token is a secret too: it rides in every admin call the suite makes.
  const adminToken = `canary-admin-${randomBytes(12).toString('hex')}`;
  const started = Date.now();

  const runs = [
    await runSuite(['tests/login.spec.ts'], {
      ACCOUNTS_FILE: accountsFile,
      EVIDENCE: 'always',
      LAB_PORT: '4770',
      CI: '1',
      LAB_FAULTS: '',
      LAB_ADMIN_TOKEN: adminToken,
    }),
    await runSuite(['tests/login.spec.ts'], {
      ACCOUNTS_FILE: accountsFile,
      EVIDENCE: 'always',
      LAB_PORT: '4770',
      CI: '1',
      LAB_FAULTS: 'plus-claims-error',
      LAB_ADMIN_TOKEN: adminToken,
    }),
  ];
  assert.equal(runs[0]?.status, 0, `the clean run passes:\n${runs[0]?.output ?? ''}`);
  assert.notEqual(runs[1]?.status, 0, 'the run with plus-claims-error fails, writing failure artifacts');
  assert.match(runs[1]?.output ?? '', /token_exchange_failed \(claims-error\)/);

  const codes: string[] = [];
  for (let at = started - 60_000; at <= Date.now() + 60_000; at += 30_000) codes.push(totp.generate({ timestamp: at }));
  const canaries = [password, secret, adminToken];
  const { findings, files: scanned } = scanRun(
    runs.map((run) => run.output),
    canaries,
    codes,
  );
  assert.ok(
    scanned.some((file) => file.endsWith('.png')),
    'a failure screenshot was written',
  );
  assert.ok(
    scanned.some((file) => file.includes('attachment')),
    'evidence was attached',
  );
  assert.deepEqual(findings, [], `secrets leaked:\n${findings.join('\n')}`);
});

test('traces run against the lab, whose accounts are thrown away; against a real target they stop the run before any test, naming ALLOW_TRACES', async () => {
  const lab = await runSuite(['tests/platform-presentation.spec.ts', '--grep', '@windows-chrome', '--trace', 'retain-on-failure'], {
    LAB_PORT: '4772',
    CI: '1',
  });
  assert.equal(lab.status, 0, lab.output);
  assert.match(lab.output, /traces: retain-on-failure/);
  const away = await runSuite(['tests/platform-presentation.spec.ts', '--trace', 'on'], {
    TARGET: 'oidc-dev',
    BASE_URL: 'http://127.0.0.1:4773',
    ISSUER_URL: 'http://127.0.0.1:4774',
    ACCOUNTS_FILE: 'examples/accounts.json',
    CI: '1',
  });
  assert.notEqual(away.status, 0);
  assert.match(away.output, /traces are refused: a Playwright trace \(--trace on\) records what is typed/);
  assert.match(away.output, /set ALLOW_TRACES=1/);
  assert.doesNotMatch(away.output, /\d+ passed/);
});
