import * as allure from 'allure-js-commons';
import { accountTypeLabel } from '../fixtures/accounts.ts';
import { expect, shownAccount, test } from '../fixtures/test.ts';

test.describe('sign-in journey', () => {
  test.use({ accountSpec: { emailProvider: 'gmail', phone: 'bound', plan: 'plus', mfa: 'totp' } });

  test(
    'a fresh account signs in end to end and lands on its home',
    { tag: '@windows-chrome' },
    async ({ account, accountSpec, signIn, journey, target }) => {
      await allure.epic('Sign-in');
      await allure.feature('Web login journey');
      await allure.story('Fresh account signs in');
      await allure.severity('critical');
      await allure.parameter('accountType', accountTypeLabel(accountSpec));

      const outcome = await signIn(account);

      expect(outcome).toBeSignedIn(shownAccount(target.profile, account));
      expect(await journey.home.isShown()).toBe(true);
    },
  );
});
