/**
 * The benchmark's floor inside Playwright Test: the minimal login (new context, fill, click,
 * wait) as a bare Playwright test, with none of the suite's fixtures, page objects or reporters.
 * What separates it from the plain script is Playwright Test itself; what separates the suite
 * from it is the suite. Run by `npm run bench` against the lab it starts (BENCH_LAB_* variables).
 */
import { test } from '@playwright/test';
import { generateAccount } from '../accounts/accounts.ts';
import { LabAdminClient } from '../targets/lab-admin.ts';
import { MINIMAL_ACCOUNT_SPEC, signInMinimally } from './minimal-login.ts';

// BENCH_LOGINS logins, one after another in one worker and its browser, as a run's tests share them.
for (let n = 0; n < Number(process.env.BENCH_LOGINS ?? 1); n += 1) {
  test(`bare login ${n}`, async ({ page }) => {
    const admin = new LabAdminClient(process.env.BENCH_LAB_ADMIN_URL ?? '', process.env.LAB_ADMIN_TOKEN ?? '');
    const account = generateAccount(MINIMAL_ACCOUNT_SPEC);
    await admin.createAccount(account);
    await signInMinimally(page, account, process.env.BENCH_LAB_APP_URL ?? '');
  });
}
