/**
 * The worked example from the real world: the suite, with only settings changed, signs in through
 * an identity provider made of Debian's packages (Django's login page, django-otp for accounts with
 * an authenticator, django-oauth-toolkit's consent and token endpoint), and catches a regression
 * there that only Outlook-family accounts feel. Without the packages, outside CI, the tests are
 * skipped with the command that installs them; in CI (`.ci/run` installs them) they must run.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expect } from '@playwright/test';
import { djangoIdpUnavailable, startDjangoIdp } from '../examples/django-idp/server.ts';
import { runSuite } from '../scripts/processes.ts';
import { scanRun } from './artifact-scan.ts';
import {
  accountWithAuthenticator,
  codesSince,
  exampleRunner,
  exampleSettings,
  fromTheApp,
  passwords,
  totpSecrets,
} from './example-harness.ts';
import { assertOnlyOutlookRed, cellsThatRan } from './matrix-summary-file.ts';

const PORT = 4920;
const unavailable = djangoIdpUnavailable();
const skip = unavailable !== undefined && !process.env.CI ? unavailable : false;
const settings = exampleSettings('django-idp', PORT, '/o');
const idp = exampleRunner(startDjangoIdp, PORT);

test(
  'the smoke tier passes through Django, django-otp and django-oauth-toolkit: an account with TOTP and one without in one run',
  { skip },
  async () => {
    await idp();
    const started = Date.now();
    const result = await runSuite(['tests/matrix.spec.ts', '--workers', '2'], { ...settings, EVIDENCE: 'always' });
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /All 3 cells of the smoke tier that ran passed; 2 of 5 were skipped\./);
    const ran = cellsThatRan();
    assert.ok(ran.some((cell) => cell.axes?.mfa === 'totp') && ran.some((cell) => cell.axes?.mfa === 'none'));
    assert.deepEqual(scanRun([result.output], [...passwords, ...totpSecrets], codesSince(started)).findings, []);
  },
);

test('a token endpoint that refuses Outlook-family accounts turns exactly those cells red, the OAuth error quoted', { skip }, async () => {
  await idp(['outlook-invalid-grant']);
  const result = await runSuite(['tests/matrix.spec.ts', '--workers', '2'], settings);
  assert.notEqual(result.status, 0);
  assertOnlyOutlookRed('invalid-grant', /invalid_grant "grant request is invalid \(mailbox ownership could not be confirmed\)"/);
});

test('npm run doctor walks the journey screen by screen and says which profile entry matched what', { skip }, async () => {
  await idp();
  const result = await runSuite(
    ['tests/doctor.spec.ts', '--grep', '@windows-chrome', '--workers', '1', '--retries', '0', '--reporter', 'list'],
    {
      ...settings,
      AUTHMATRIX_DOCTOR: '1',
      DOCTOR_ACCOUNT: 'grace.hopper@gmail.com',
    },
  );
  assert.equal(result.status, 0, result.output);
  assert.match(result.output, /screen 1: http:\/\/127\.0\.0\.1:4920\/accounts\/login\/\n {2}recognised as: identifier/);
  assert.match(result.output, /✓ screens\.email\.field \(label "Username"\): 1 element/);
  assert.match(result.output, /screen 2: http:\/\/127\.0\.0\.1:4920\/accounts\/otp\/\n {2}recognised as: second-factor/);
  assert.match(result.output, /the page shows — headings: "Authorize Example SPA\?"; fields: none; buttons: "Cancel", "Authorize"/);
  assert.match(result.output, /signed in as grace\.hopper@gmail\.com, plan Free/);
  assert.deepEqual(scanRun([result.output], passwords).findings, []);
});

test(
  'each accepted step is confirmed with a toast (role=alert) on the page that follows it, as the smoke tier meets it',
  { skip },
  async () => {
    const { appUrl } = await idp();
    const account = accountWithAuthenticator();
    await fromTheApp(appUrl, async (page) => {
      await page.getByLabel('Username').fill(account.login);
      await page.getByLabel('Password').fill(account.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();
      await expect(page.getByRole('alert')).toHaveText('Authentication success');
      await page.getByLabel('Authentication code').fill(account.code());
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect(page.getByRole('heading', { name: 'Authorize Example SPA?' })).toBeVisible();
      await expect(page.getByRole('alert')).toHaveText('Code verified. Authentication success');
    });
  },
);

test('the example names what it needs when its packages are missing', () => {
  if (unavailable === undefined) assert.equal(djangoIdpUnavailable(), undefined);
  else assert.match(unavailable, /apt-get install -y --no-install-recommends python3-django python3-django-oauth-toolkit/);
});
