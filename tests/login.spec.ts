import { describeInAllure } from '../reporters/allure-metadata.ts';
import { accountTypeLabel } from '../matrix/axes.ts';
import { expect, test } from '../fixtures/test.ts';

test.describe('sign-in journey', () => {
  test.use({ accountSpec: { emailProvider: 'gmail', phone: 'bound', plan: 'plus', mfa: 'totp', method: 'password' } });

  test(
    'a fresh account signs in end to end and lands on its home',
    { tag: '@windows-chrome' },
    async ({ account, accountSpec, signIn }) => {
      await describeInAllure({
        epic: 'Sign-in',
        feature: 'Web login journey',
        story: 'Fresh account signs in',
        severity: 'critical',
        parameters: { accountType: accountTypeLabel(accountSpec) },
      });

      const outcome = await signIn(account);

      expect(outcome).toBeSignedIn();
    },
  );
});
