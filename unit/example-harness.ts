/**
 * What the tests of the worked examples share: their accounts (examples/accounts.json, the
 * suite's ACCOUNTS_FILE for them), the settings that point the suite at an example, one running
 * example at a time (restarted with other faults, stopped after the file's tests), and the
 * secrets a run's output must not hold.
 */
import { readFileSync } from 'node:fs';
import { after } from 'node:test';
import { chromium, type Page } from '@playwright/test';
import { TOTP } from 'otpauth';
import { launchOptionsFor, resolveBrowser } from '../browsers/browser.ts';

export const ACCOUNTS_FILE = 'examples/accounts.json';

export const accounts = JSON.parse(readFileSync(ACCOUNTS_FILE, 'utf8')) as {
  email: string;
  login: string;
  password: string;
  totpSecret: string | null;
}[];

export const passwords = accounts.map((account) => account.password);
export const totpSecrets = accounts.flatMap((account) => (account.totpSecret ? [account.totpSecret] : []));

/** Every TOTP code of the examples' accounts from `since` until now, and a period either side. */
export function codesSince(since: number): string[] {
  const codes: string[] = [];
  for (const secret of totpSecrets) {
    const totp = new TOTP({ secret, period: 30, digits: 6 });
    for (let at = since - 30_000; at <= Date.now() + 30_000; at += 30_000) codes.push(totp.generate({ timestamp: at }));
  }
  return codes;
}

/** The settings that point the suite at an example on `port` (its app on the next port), on the smoke tier. */
export function exampleSettings(target: string, port: number, issuerPath = '') {
  return {
    TARGET: target,
    BASE_URL: `http://localhost:${port + 1}`,
    ISSUER_URL: `http://127.0.0.1:${port}${issuerPath}`,
    ACCOUNTS_FILE,
    MATRIX: 'smoke',
    CI: '1',
  };
}

/**
 * Starts the example with `faults` (stopping the one running first), and stops it after the
 * file's tests: `start` is the example's own start function.
 */
export function exampleRunner<Fault, Running extends { close(): Promise<void> }>(
  start: (port: number, faults: Fault[]) => Promise<Running>,
  port: number,
): (faults?: Fault[]) => Promise<Running> {
  let running: Running | undefined;
  after(async () => {
    await running?.close();
  });
  return async (faults = []) => {
    await running?.close();
    running = await start(port, faults);
    return running;
  };
}

/** The first account with an authenticator, and its code now. */
export function accountWithAuthenticator(): { login: string; password: string; code: () => string } {
  const account = accounts.find((candidate) => candidate.totpSecret !== null);
  const secret = account?.totpSecret;
  if (!account || !secret) throw new Error(`${ACCOUNTS_FILE} holds no account with a totpSecret`);
  return { ...account, code: () => new TOTP({ secret, period: 30, digits: 6 }).generate() };
}

/** Opens the example's app in a browser of its own, starts its sign-in, and hands the page to `body`. */
export async function fromTheApp(appUrl: string, body: (page: Page) => Promise<void>): Promise<void> {
  const browser = await chromium.launch(launchOptionsFor(resolveBrowser({ browserExecutable: process.env.BROWSER_EXECUTABLE })));
  try {
    const page = await browser.newPage();
    await page.goto(appUrl);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await body(page);
  } finally {
    await browser.close();
  }
}
