/**
 * A step the provider refuses, in a browser against the lab: the journey stops on the screen that
 * stayed, quoting the provider's own words, instead of waiting for a next screen that never comes.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from '@playwright/test';
import { launchOptionsFor, resolveBrowser } from '../browsers/browser.ts';
import type { Lab } from '../lab/lab.ts';
import { LoginStepError } from '../pages/identity-provider.ts';
import { LoginJourney } from '../pages/login-journey.ts';
import { LabAdminClient } from '../targets/lab-admin.ts';
import { labProfile } from '../targets/lab.ts';
import { startTestLab, TEST_ADMIN_TOKEN } from './lab-harness.ts';

let lab: Lab;
let browser: Browser;
before(async () => {
  lab = await startTestLab();
  browser = await chromium.launch(launchOptionsFor(resolveBrowser({ browserExecutable: process.env.BROWSER_EXECUTABLE })));
});
after(async () => {
  await browser.close();
  await lab.close();
});

test('a wrong password: the journey stops on the password screen, saying what the provider said', async () => {
  const admin = new LabAdminClient(lab.urls.admin, TEST_ADMIN_TOKEN);
  const account = {
    email: `refused.${Date.now()}@gmail.com`,
    password: 'the-right-password',
    phone: null,
    plan: 'free' as const,
    totpSecret: null,
  };
  await admin.createAccount(account);
  const context = await browser.newContext();
  const page = await context.newPage();
  const journey = new LoginJourney(page, labProfile(await admin.describe(), `${lab.urls.issuer}/token`), {
    codeFor: () => Promise.reject(new Error('no code is asked for before the password is taken')),
  });
  const started = Date.now();
  await assert.rejects(journey.signIn({ ...account, password: 'not-the-password' }), (error: unknown) => {
    assert.ok(error instanceof LoginStepError, String(error));
    assert.equal(error.reason, 'step-refused');
    assert.equal(error.screen, 'password');
    assert.match(
      error.message,
      /^the provider refused the password step at http:\/\/127\.0\.0\.1:\d+\/\S+, saying "Wrong email or password\."$/,
    );
    assert.doesNotMatch(error.message, /not-the-password/);
    return true;
  });
  // Read from the page as it stays, not after the expect timeout a screen that never leaves would run into.
  assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
  await context.close();
});
