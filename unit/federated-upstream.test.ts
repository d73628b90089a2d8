/**
 * A real provider as the upstream: the lab's broker federates "Continue with Microsoft" to the
 * Django example (Django's login page, django-otp, django-oauth-toolkit) in place of its own
 * Microsoft-like upstream, given only its issuer, a client registration and the target profile
 * that describes its screens (LAB_UPSTREAMS). The suite signs the Outlook-family accounts in
 * through it, and names a regression of its token endpoint at the right hop.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { djangoIdpUnavailable, startDjangoIdp, type DjangoFault, type DjangoIdp } from '../examples/django-idp/server.ts';
import { runSuite } from '../scripts/processes.ts';
import { scanRun } from './artifact-scan.ts';
import { ACCOUNTS_FILE, codesSince, passwords, totpSecrets } from './example-harness.ts';
import { cellsThatRan } from './matrix-summary-file.ts';

const DJANGO_PORT = 4940;
const LAB_PORT = 4950;
const unavailable = djangoIdpUnavailable();
const skip = unavailable !== undefined && !process.env.CI ? unavailable : false;
const broker = { redirectUri: `http://127.0.0.1:${LAB_PORT}/federation/callback`, clientSecret: randomBytes(18).toString('base64url') };

/** The examples' accounts, the Outlook-family ones signing in with "Continue with Microsoft". */
function federatedAccountsFile(): string {
  const accounts = (JSON.parse(readFileSync(ACCOUNTS_FILE, 'utf8')) as { email: string }[]).map((account) =>
    /@(outlook|hotmail|live)\.com$/.test(account.email) ? { ...account, method: 'federated' } : account,
  );
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'authmatrix-federated-')), 'accounts.json');
  writeFileSync(file, JSON.stringify(accounts));
  return file;
}

let running: DjangoIdp | undefined;
after(async () => {
  await running?.close();
});
async function django(faults: DjangoFault[] = []): Promise<DjangoIdp> {
  await running?.close();
  running = await startDjangoIdp(DJANGO_PORT, faults, broker);
  return running;
}

const settings = () => ({
  TARGET: 'lab',
  LAB_PORT: String(LAB_PORT),
  LAB_UPSTREAMS: JSON.stringify({
    microsoft: {
      issuer: `http://127.0.0.1:${DJANGO_PORT}/o`,
      clientId: 'authmatrix-broker',
      clientSecret: broker.clientSecret,
      scope: 'openid email',
      screensFrom: 'django-idp',
    },
  }),
  ACCOUNTS_FILE: federatedAccountsFile(),
  MATRIX: 'smoke',
  CI: '1',
});

test(
  'the broker federates to Django: an Outlook account signs in through its login, django-otp and consent, then the lab’s own second factor',
  { skip },
  async () => {
    await django();
    const started = Date.now();
    const result = await runSuite(['tests/matrix.spec.ts', '--workers', '2'], { ...settings(), EVIDENCE: 'always' });
    assert.equal(result.status, 0, result.output);
    const federated = cellsThatRan().filter((cell) => cell.axes?.method === 'federated');
    assert.equal(federated.length, 1, 'the smoke tier’s Microsoft cell ran');
    assert.equal(federated[0]?.status, 'passed');
    assert.ok(
      cellsThatRan().some((cell) => cell.axes?.method === 'password' && cell.status === 'passed'),
      'password cells pass beside it',
    );
    assert.deepEqual(scanRun([result.output], [...passwords, ...totpSecrets, broker.clientSecret], codesSince(started)).findings, []);
  },
);

test(
  'Django’s token endpoint refusing Outlook-family codes turns the federated cell red as upstream-code-refused, its words quoted; the others stay green',
  { skip },
  async () => {
    await django(['outlook-invalid-grant']);
    const result = await runSuite(['tests/matrix.spec.ts', '--workers', '2'], settings());
    assert.notEqual(result.status, 0);
    for (const cell of cellsThatRan()) {
      if (cell.axes?.method !== 'federated') {
        assert.equal(cell.status, 'passed', `${cell.title} passed`);
        continue;
      }
      assert.equal(cell.status, 'failed', `${cell.title} failed`);
      assert.equal(cell.classification?.category, 'token_exchange_failed');
      assert.equal(cell.classification?.cause, 'upstream-code-refused');
      assert.match(cell.classification?.summary ?? '', /Microsoft refused the code exchange: 400 invalid_grant/);
      assert.match(cell.classification?.summary ?? '', /hops: app → provider → upstream → provider → app/);
    }
  },
);
