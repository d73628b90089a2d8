/**
 * A third login not written for the suite: with only settings changed, the suite signs in through
 * LemonLDAP::NG's portal from Debian's packages (its login form over a DBI user backend, its own
 * TOTP for enrolled accounts, its OpenID Connect consent and token endpoint), and catches a
 * regression there, made inside LemonLDAP::NG by a portal plugin, that only Outlook-family accounts
 * feel. Without the packages, outside CI, the tests are skipped with the command that installs
 * them; in CI (`.ci/run` installs them) they must run.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expect } from '@playwright/test';
import { lemonldapIdpUnavailable, startLemonldapIdp } from '../examples/lemonldap-idp/server.ts';
import { runSuite } from '../scripts/processes.ts';
import { scanRun } from './artifact-scan.ts';
import type { CellResult } from '../reporters/matrix-summary.ts';
import {
  accountWithAuthenticator,
  codesSince,
  exampleRunner,
  exampleSettings,
  fromTheApp,
  passwords,
  totpSecrets,
} from './example-harness.ts';
import { cellsThatRan } from './matrix-summary-file.ts';

const PORT = 4930;
const unavailable = lemonldapIdpUnavailable();
const skip = unavailable !== undefined && !process.env.CI ? unavailable : false;
const settings = exampleSettings('lemonldap-idp', PORT);
const idp = exampleRunner(startLemonldapIdp, PORT);

/**
 * LemonLDAP::NG 2.16 answers a sign-in started again after one abandoned at its login form with
 * the abandoned one's authorization request (its state), for issuersTimeout (120 s): the app sees
 * a state it did not send. The suite names it as it names the lab's stale-state-preferred fault.
 */
function assertStaleLoginCellRed(cell: CellResult): void {
  assert.equal(cell.status, 'failed', `${cell.title}: LemonLDAP::NG replays the abandoned request`);
  assert.equal(cell.classification?.category, 'token_exchange_failed');
  assert.equal(cell.classification?.cause, 'cookie-state');
}

test(
  'the smoke tier through LemonLDAP::NG: its login form, its TOTP for an enrolled account and not for another, its consent, in one run; the stale-login cell red for the request it replays',
  { skip },
  async () => {
    await idp();
    const started = Date.now();
    const result = await runSuite(['tests/matrix.spec.ts', '--workers', '2'], { ...settings, EVIDENCE: 'always' });
    assert.match(result.output, /1 of 5 cells failed/, result.output);
    const ran = cellsThatRan();
    const fresh = ran.filter((cell) => cell.axes?.cookies !== 'stale-login');
    for (const cell of fresh) assert.equal(cell.status, 'passed', cell.title);
    assert.ok(fresh.some((cell) => cell.axes?.mfa === 'totp') && fresh.some((cell) => cell.axes?.mfa === 'none'));
    const stale = ran.find((cell) => cell.axes?.cookies === 'stale-login');
    assert.ok(stale);
    assertStaleLoginCellRed(stale);
    assert.deepEqual(scanRun([result.output], [...passwords, ...totpSecrets], codesSince(started)).findings, []);
  },
);

test(
  "a token endpoint that refuses Outlook-family codes turns exactly those cells red, LemonLDAP::NG's invalid_grant quoted",
  { skip },
  async () => {
    await idp(['outlook-invalid-grant']);
    const result = await runSuite(['tests/matrix.spec.ts', '--workers', '2'], settings);
    assert.notEqual(result.status, 0);
    // LemonLDAP::NG refuses a code with `{"error":"invalid_grant"}` and no description: that is all there is to quote.
    const ran = cellsThatRan();
    for (const cell of ran) {
      if (cell.axes?.cookies === 'stale-login') assertStaleLoginCellRed(cell);
      else if (cell.axes?.emailProvider === 'gmail') assert.equal(cell.status, 'passed', cell.title);
      else {
        assert.equal(cell.status, 'failed', cell.title);
        assert.equal(cell.classification?.cause, 'invalid-grant');
        assert.match(cell.classification?.summary ?? '', /the token endpoint answered 400 invalid_grant/);
      }
    }
    assert.ok(ran.some((cell) => cell.axes?.emailProvider === 'outlook' && cell.status === 'failed'));
  },
);

test(
  'each accepted step is confirmed with a toast (role=alert) on the page that follows it, as the smoke tier meets it',
  { skip },
  async () => {
    const { appUrl } = await idp();
    const account = accountWithAuthenticator();
    await fromTheApp(appUrl, async (page) => {
      await page.getByPlaceholder('Login').fill(account.login);
      await page.getByPlaceholder('Password').fill(account.password);
      await page.getByRole('button', { name: 'Connect' }).click();
      await expect(page.getByPlaceholder('Code')).toBeVisible();
      await expect(page.getByRole('alert')).toHaveText('Authentication success');
      await page.getByPlaceholder('Code').fill(account.code());
      await page.getByRole('button', { name: 'Connect' }).click();
      await expect(page.getByRole('heading', { name: /^The application .+ would like to:$/ })).toBeVisible();
      await expect(page.getByRole('alert')).toHaveText('Code verified. Authentication success');
    });
  },
);

test('the example names what it needs when its packages are missing', () => {
  if (unavailable === undefined) assert.equal(lemonldapIdpUnavailable(), undefined);
  else
    assert.match(
      unavailable,
      /the LemonLDAP::NG example needs Debian's .*; install them with: apt-get install -y --no-install-recommends lemonldap-ng starman libdigest-hmac-perl/,
    );
});
