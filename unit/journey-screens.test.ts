/**
 * How the journey judges a step on pages it did not write: a notice of success (on the next
 * screen, or on the old one for most of a second) never refuses a step; words that stay with the
 * screen do, quoted; consent steps that are optional, for some accounts only, or "tick every box",
 * and a screen that moves on in the middle of its steps.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { JourneyAccount } from '../accounts/account.ts';
import { launchOptionsFor, resolveBrowser } from '../browsers/browser.ts';
import { AuthErrorPage } from '../pages/auth-error.page.ts';
import { IdentityProviderScreens, LoginStepError } from '../pages/identity-provider.ts';
import { PassThroughPage } from '../pages/pass-through.page.ts';
import { parseTargetProfile } from '../targets/profile.ts';

const profile = (screens: Record<string, unknown> = {}) =>
  parseTargetProfile(
    JSON.stringify({
      name: 'static',
      description: 'pages written in the test',
      app: { url: 'http://127.0.0.1:9/', callbackUrl: 'http://127.0.0.1:9/callback' },
      startLogin: { button: 'Sign in' },
      identityProvider: { issuer: 'http://127.0.0.1:9' },
      screens: {
        email: { field: { label: 'Email' }, submit: 'Next' },
        password: { field: { label: 'Password' }, submit: 'Sign in' },
        secondFactor: { field: { label: 'Code' }, submit: 'Verify', channels: ['totp'] },
        ...screens,
      },
      signedIn: { visible: { heading: 'Welcome' } },
      tokenExchange: { url: { regex: '/token$' }, method: 'POST' },
      error: { visible: { heading: 'Sign-in failed' } },
    }),
    'static.json',
    {},
  );
const account: JourneyAccount = { email: 'ada@outlook.com', password: 'pw-123456', phone: null, totpSecret: null };
const CODE_SCREEN = '<h1>Two-step verification</h1><label>Code <input></label><button>Verify</button>';
const NEXT_SCREEN = '<h1>Stay signed in?</h1><button>No</button>';

let browser: Browser;
let page: Page;
before(async () => {
  browser = await chromium.launch(launchOptionsFor(resolveBrowser({ browserExecutable: process.env.BROWSER_EXECUTABLE })));
  page = await browser.newPage();
});
after(async () => {
  await browser.close();
});

test('a success toast shown on the code screen for most of a second, then on the next screen, never refuses the step', async () => {
  await page.setContent(`<main>${CODE_SCREEN}</main>`);
  const screens = new IdentityProviderScreens(page, profile());
  // What a single-page login does once the code is accepted.
  await page.evaluate(
    ([next]) => {
      document.querySelector('main')?.insertAdjacentHTML('afterbegin', '<div role="alert">Code verified. Authentication success</div>');
      setTimeout(() => {
        const main = document.querySelector('main');
        if (main) main.innerHTML = `<div role="alert">Authentication success</div>${next}`;
      }, 900);
    },
    [NEXT_SCREEN],
  );
  await screens.leave({ kind: 'second-factor' }, account);
  assert.equal(await page.getByRole('heading').textContent(), 'Stay signed in?');
});

test('words that stay with the screen refuse its step, quoted; words the profile names as a refusal count at once', async () => {
  await page.setContent(`<main><p role="alert">That code is not right.</p>${CODE_SCREEN}</main>`);
  const started = Date.now();
  await assert.rejects(new IdentityProviderScreens(page, profile()).leave({ kind: 'second-factor' }, account), (error: unknown) => {
    assert.ok(error instanceof LoginStepError);
    assert.deepEqual([error.classification.category, error.classification.cause], ['login-step-failed', 'second-factor']);
    assert.match(error.message, /refused the second-factor step at .*, saying "That code is not right\."/);
    return true;
  });
  assert.ok(Date.now() - started >= 1_500, 'a refusal stands for a moment before it counts');
  await page.setContent(`<main><p class="errornote">Please enter a correct code.</p>${CODE_SCREEN}</main>`);
  const named = Date.now();
  await assert.rejects(
    new IdentityProviderScreens(page, profile({ refusal: { text: { regex: '^Please enter a correct' } } })).leave(
      { kind: 'second-factor' },
      account,
    ),
    /saying "Please enter a correct code\."/,
  );
  assert.ok(Date.now() - named < 1_500, `a named refusal counts as soon as it stands (${Date.now() - named} ms)`);
});

test('consent steps: optional when absent, for some accounts only, every box of a group ticked', async () => {
  await page.setContent(`<main>
    <h1>Grant access</h1>
    <fieldset><legend>Scopes</legend>
      <label><input type="checkbox"> Email address</label>
      <label><input type="checkbox"> Plan</label>
    </fieldset>
    <label><input type="checkbox"> Authenticator status</label>
    <button onclick="this.textContent = [...document.querySelectorAll('input')].map((box) => box.checked ? 'y' : 'n').join('')">Allow</button>
  </main>`);
  const consent = new PassThroughPage(page, 'Confirm consent', {
    recognise: { heading: 'Grant access' },
    steps: [
      { checkAll: 'Scopes' },
      { check: 'Authenticator status', when: { mfa: 'totp' } },
      { click: 'Remember this app', optional: true },
      { click: 'Allow' },
    ],
  });
  await consent.pass(account);
  assert.equal(await page.getByRole('button').textContent(), 'yyn', 'the group ticked, the TOTP-only box left for an account without one');
});

test('a screen that moves on in the middle of its steps is left at once for the journey to look again', async () => {
  await page.setContent(`<main>
    <h1>Grant access</h1>
    <label><input type="checkbox" onchange="document.querySelector('main').innerHTML = '<h1>Welcome</h1>'"> Share</label>
    <button>Continue</button>
  </main>`);
  const consent = new PassThroughPage(page, 'Confirm consent', {
    recognise: { heading: 'Grant access' },
    steps: [{ check: 'Share' }, { click: 'Continue' }],
  });
  const started = Date.now();
  await consent.pass(account);
  assert.ok(Date.now() - started < 5_000, `${Date.now() - started} ms`);
  assert.equal(await page.getByRole('heading').textContent(), 'Welcome');
});

test('a code refused for an account that used one moments before says so, and names the setting that spaces its sign-ins', async () => {
  await page.setContent(
    `<main>${CODE_SCREEN.replace('<button>', `<button onclick="this.insertAdjacentHTML('beforebegin', '<p role=alert>Authentication error</p>')">`)}</main>`,
  );
  const screens = new IdentityProviderScreens(page, profile());
  const withAuthenticator = { ...account, totpSecret: 'JBSWY3DPEHPK3PXP' };
  await screens.act({ kind: 'second-factor' }, withAuthenticator, {
    codeFor: () => Promise.resolve('123456'),
    previousCodeAt: () => Date.now() - 12_000,
  });
  await assert.rejects(
    screens.leave({ kind: 'second-factor' }, withAuthenticator),
    /saying "Authentication error" — account ada@outlook\.com used a code of the period that began 1\d s ago: .*set ACCOUNT_MIN_SPACING_MS=30000/,
  );
});

test("the app's error page: diagnostics in any shape a page gives them, a status line with no name, and Try again as a link", async () => {
  const errorPage = () =>
    new AuthErrorPage(page, {
      visible: { heading: 'Sign-in failed' },
      message: { role: 'status' },
      diagnosticsRegion: 'Diagnostics',
      retry: 'Try again',
    }).read();
  const shell = (region: string) =>
    page.setContent(
      `<h1>Sign-in failed</h1><p role="status">We could not sign you in.</p><section aria-label="Diagnostics">${region}</section><a href="#">Try again</a>`,
    );
  await shell('<pre>{"error":"invalid_grant","status":400}</pre>');
  assert.deepEqual((await errorPage()).diagnostics, { error: 'invalid_grant', status: 400 });
  await shell('<dl><dt>error</dt><dd>invalid_grant</dd><dt>request_id</dt><dd>r-1</dd></dl>');
  const fromList = await errorPage();
  assert.deepEqual(fromList.diagnostics, { error: 'invalid_grant', request_id: 'r-1' });
  assert.equal(fromList.message, 'We could not sign you in.');
  await shell('<table><tr><th>error</th><td>invalid_grant</td></tr></table>');
  assert.deepEqual((await errorPage()).diagnostics, { error: 'invalid_grant' });
  await shell('<p>error: invalid_grant</p><p>error_description: Code not valid</p>');
  assert.deepEqual((await errorPage()).diagnostics, { error: 'invalid_grant', error_description: 'Code not valid' });
  const retry = new AuthErrorPage(page, { visible: { heading: 'Sign-in failed' }, retry: 'Try again' }).tryAgainButton;
  assert.equal(await retry?.count(), 1);
});
