import { describeInAllure } from '../reporters/allure-metadata.ts';
import { contextOptionsFor, presentContext, presentPage } from '../browsers/presentation.ts';
import { expect, shownAccount, test } from '../fixtures/test.ts';
import type { NativeClientTarget, Target } from '../targets/connect.ts';
import { profileNamed } from '../matrix/profiles.ts';
import { IosAppClient } from '../clients/ios-app.client.ts';
import { LoginJourney } from '../pages/login-journey.ts';

// The split users report: the iOS app signs in while the web does not. One account signs in on
// the app and on the web within seconds, in both orders; both must succeed.
function iosClientOf(target: Target): NativeClientTarget {
  const ios = target.native.ios;
  if (!ios) throw new Error(`test-defect: target ${target.profile.name} registers no iOS app client`);
  return ios;
}

test.describe('cross-platform: one account on the iOS app and the web, seconds apart', () => {
  // eslint-disable-next-line playwright/no-skipped-test
  test.skip(({ target }) => !target.native.ios, 'the target registers no iOS app client (nativeClients.ios)');
  test.use({ accountSpec: { emailProvider: 'outlook', phone: 'none', plan: 'plus', mfa: 'none' } });

  for (const order of [
    ['ios-app', 'windows-chrome'],
    ['windows-chrome', 'ios-app'],
  ] as const) {
    test(`${order[0]} then ${order[1]}`, { tag: '@ios-app' }, async ({ page, browser, browserName, account, codes, target }) => {
      await describeInAllure({
        epic: 'Sign-in',
        feature: 'Cross-platform',
        story: 'Mobile and web sign-in of one account',
        parameters: { order: order.join(' → ') },
      });

      const ios = iosClientOf(target);
      const web = profileNamed('windows-chrome');
      const webContext = await browser.newContext(contextOptionsFor(web.presentation, browserName));
      await presentContext(webContext, web.presentation, browserName);
      const webPage = await webContext.newPage();
      await presentPage(webPage, web.presentation, browserName);

      const clients = {
        'ios-app': () =>
          new IosAppClient(page, {
            issuer: target.issuer,
            jwksUri: target.jwksUri,
            authorizationEndpoint: target.authorizationEndpoint,
            tokenEndpoint: ios.tokenEndpoint,
            client: ios.client,
            provider: target.profile,
            codes,
            fetchImpl: fetch,
          }).signIn(account),
        'windows-chrome': () => new LoginJourney(webPage, target.profile, codes).signIn(account),
      };

      const first = await clients[order[0]]();
      const second = await clients[order[1]]();
      await webContext.close();

      expect(first).toBeSignedIn(shownAccount(target.profile, account));
      expect(second).toBeSignedIn(shownAccount(target.profile, account));
    });
  }
});
