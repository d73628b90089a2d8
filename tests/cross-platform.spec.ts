import { describeInAllure } from '../reporters/allure-metadata.ts';
import { contextOptionsFor, presentContext, presentPage } from '../browsers/presentation.ts';
import { expect, test } from '../fixtures/test.ts';
import { profileNamed } from '../matrix/profiles.ts';

// The split users report: the iOS app signs in while the web does not. One account signs in on
// the app and on the web within seconds, in both orders; both must succeed.
test.describe('cross-platform: one account on the iOS app and the web, seconds apart', () => {
  // eslint-disable-next-line playwright/no-skipped-test
  test.skip(({ target }) => !target.native.ios, 'the target registers no iOS app client (nativeClients.ios)');
  test.use({ accountSpec: { emailProvider: 'outlook', phone: 'none', plan: 'plus', mfa: 'none', method: 'password' } });

  for (const order of [
    ['ios-app', 'windows-chrome'],
    ['windows-chrome', 'ios-app'],
  ] as const) {
    test(`${order[0]} then ${order[1]}`, { tag: '@ios-app' }, async ({ browser, browserName, account, signIn }) => {
      await describeInAllure({
        epic: 'Sign-in',
        feature: 'Cross-platform',
        story: 'Mobile and web sign-in of one account',
        parameters: { order: order.join(' → ') },
      });

      const web = profileNamed('windows-chrome');
      const webContext = await browser.newContext(contextOptionsFor(web.presentation, browserName));
      await presentContext(webContext, web.presentation, browserName);
      const webPage = await webContext.newPage();
      await presentPage(webPage, web.presentation, browserName);

      const on = { 'ios-app': { client: 'ios-app' as const }, 'windows-chrome': { client: 'web' as const, page: webPage } };
      const first = await signIn(account, on[order[0]]);
      const second = await signIn(account, on[order[1]]);
      await webContext.close();

      expect(first).toBeSignedIn();
      expect(second).toBeSignedIn();
    });
  }
});
