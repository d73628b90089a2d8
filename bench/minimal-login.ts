/**
 * The benchmark's floor: the lab login scripted with nothing around it — open, click, fill, click,
 * wait. The plain script (scripts/bench.ts) and the bare Playwright test (bare-login.spec.ts) both
 * run exactly these steps.
 */
import type { Page } from '@playwright/test';
import { TOTP } from 'otpauth';
import type { TestAccount } from '../accounts/accounts.ts';
import type { AccountSpec } from '../matrix/axes.ts';

/** The account type every per-journey measure of the bench signs in with: TOTP, a phone, Plus. */
export const MINIMAL_ACCOUNT_SPEC: AccountSpec = { emailProvider: 'gmail', phone: 'bound', plan: 'plus', mfa: 'totp', method: 'password' };

/** The account type the federated per-journey measure signs in with: "Continue with Microsoft", no second factor at the lab. */
export const FEDERATED_ACCOUNT_SPEC: AccountSpec = {
  emailProvider: 'outlook',
  phone: 'none',
  plan: 'plus',
  mfa: 'none',
  method: 'federated',
};

/**
 * `atEmailScreen` is called once the email address is typed: what an attempt abandoned at the email
 * screen (a stale login's) has cost by then.
 */
export async function signInMinimally(page: Page, account: TestAccount, appUrl: string, atEmailScreen?: () => void): Promise<void> {
  await page.goto(appUrl);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Email address').fill(account.email);
  atEmailScreen?.();
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByLabel('Verification code').fill(new TOTP({ secret: account.totpSecret ?? '' }).generate());
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByRole('heading', { name: "You're signed in" }).waitFor();
}

/** The lab login with "Continue with Microsoft", scripted with nothing around it: the lab's Microsoft-like screens, then the app. */
export async function signInFederatedMinimally(page: Page, account: TestAccount, appUrl: string): Promise<void> {
  await page.goto(appUrl);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Continue with Microsoft' }).click();
  await page.getByLabel('Email, phone, or Skype').fill(account.email);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'No' }).click();
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.getByRole('heading', { name: "You're signed in" }).waitFor();
}
