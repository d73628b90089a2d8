import * as allure from 'allure-js-commons';
import { accountTypeLabel } from '../fixtures/accounts.ts';
import { expect, test } from '../fixtures/test.ts';

test.describe('sign-in journey', () => {
  test.use({ accountSpec: { emailProvider: 'gmail', phone: 'bound', plan: 'plus', mfa: 'totp' } });

  test(
    'a fresh account signs in end to end and lands on its home',
    { tag: '@windows-chrome' },
    async ({ account, accountSpec, signIn, journey }) => {
      await allure.epic('Sign-in');
      await allure.feature('Web login journey');
      await allure.story('Fresh account signs in');
      await allure.severity('critical');
      await allure.parameter('accountType', accountTypeLabel(accountSpec));

      const outcome = await signIn(account);

      expect(outcome).toBeSignedIn({ email: account.email, plan: 'Plus' });
      await expect(journey.home.accountEmail).toHaveText(account.email);
      await expect(journey.home.plan).toHaveText('Plus');
    },
  );
});
