import { describeInAllure } from '../reporters/allure-metadata.ts';
import { expect, test } from '../fixtures/test.ts';

test.describe('error UX: a device clock beyond tolerance', () => {
  test.use({ accountSpec: { emailProvider: 'gmail', phone: 'none', plan: 'free', mfa: 'none', method: 'password' } });

  test(
    'a browser clock 15 minutes fast is told to check its clock, with a request_id',
    { tag: '@windows-chrome' },
    async ({ page, account, journey, target }) => {
      // eslint-disable-next-line playwright/no-skipped-test
      test.skip(target.kind !== 'lab', "the clock message is the lab app's own error UX");
      await describeInAllure({ epic: 'Sign-in', feature: 'Error UX', story: 'Clock beyond tolerance', parameters: { clock: 'ahead-15m' } });
      await page.clock.install({ time: Date.now() + 15 * 60_000 });

      const outcome = await journey.signIn(account);

      expect(outcome).toMatchObject({ kind: 'error', details: { errorCode: 'token_exchange_failed' } });
      await expect(journey.error.alert).toContainText(/clock/i);
      await expect(journey.error.alert).toContainText(/date and time/i);
      expect(outcome.kind === 'error' && outcome.details.requestId).toMatch(/^[0-9a-f-]{36}$/);
      await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
    },
  );
});
