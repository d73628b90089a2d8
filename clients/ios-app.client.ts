import { devtoolsSession } from '../browsers/devtools.ts';
import type { Page } from '@playwright/test';
import { journeyStep } from '../evidence/timeline.ts';
import { authorizationUrl, createPkce } from './oauth.ts';
import { scaled } from '../settings/timeouts.ts';
import type { JourneyAccount } from '../accounts/account.ts';
import { IdentityProviderScreens } from '../pages/identity-provider.ts';
import type { JourneyOutcome } from '../pages/login-journey.ts';
import { completeNativeSignIn, type NativeClientOptions } from './native-client.ts';

export type IosAppOptions = NativeClientOptions;

/**
 * The iOS app: it opens the identity provider's pages in an in-app browser (a mobile browser
 * context), catches the redirect to its custom scheme there, and exchanges the code itself
 * through the mobile gateway.
 */
/** Whether the page is on an http(s) site other than `origin`'s. */
function onAnotherSite(url: string, origin: string): boolean {
  try {
    const parsed = new URL(url);
    return /^https?:$/.test(parsed.protocol) && parsed.origin !== origin;
  } catch {
    return false;
  }
}

export class IosAppClient {
  readonly identityProvider: IdentityProviderScreens;

  constructor(
    private readonly page: Page,
    private readonly options: IosAppOptions,
  ) {
    this.identityProvider = new IdentityProviderScreens(page, options.provider);
  }

  async signIn(account: JourneyAccount): Promise<JourneyOutcome> {
    return journeyStep('Sign in from the iOS app', async () => {
      const { client } = this.options;
      const pkce = createPkce();
      // The in-app browser hands a redirect to the app's custom scheme over to the app instead of
      // loading it: the identity provider's redirecting responses are read here first.
      let resolveRedirect: (location: URL) => void = () => undefined;
      let redirected = false;
      const redirect = new Promise<URL>((resolve) => (resolveRedirect = resolve));
      void redirect.then(() => (redirected = true));
      const idpOrigin = new URL(this.options.authorizationEndpoint).origin;
      const resumePrefix = `${this.options.authorizationEndpoint.replace(/\/$/, '')}/`;
      // At the end of redirects the browser follows by itself (an upstream provider's return, then
      // the provider's own hops), the app's redirect is never routed, and the browser drops it
      // (an unknown scheme): on Chromium its raw answer is read off the DevTools protocol instead.
      const readsRawAnswers = this.page.context().browser()?.browserType().name() === 'chromium';
      if (readsRawAnswers) {
        const cdp = await devtoolsSession(this.page);
        await cdp.send('Network.enable');
        cdp.on('Network.responseReceivedExtraInfo', (event) => {
          const location = Object.entries(event.headers).find(([name]) => name.toLowerCase() === 'location')?.[1];
          if (location?.startsWith(client.redirectUri)) resolveRedirect(new URL(location));
        });
      }

      await this.page.route(`${idpOrigin}/**`, async (route) => {
        // A page of another site posting to the provider (an upstream's form_post return) is sent
        // by the browser itself, with the browser's own cookie rules (SameSite); the redirect it
        // ends in is read off the raw answers.
        if (readsRawAnswers && route.request().method() === 'POST' && onAnotherSite(this.page.url(), idpOrigin)) return route.continue();
        let response = await route.fetch({ maxRedirects: 0 });
        let location = response.headers().location ?? '';
        // A redirect the browser follows is not routed again, so the hop to the authorization
        // endpoint's resume URL (which answers with the app's redirect) is made here.
        while (new URL(location, idpOrigin).href.startsWith(resumePrefix)) {
          response = await this.page.request.get(new URL(location, idpOrigin).href, { maxRedirects: 0 });
          location = response.headers().location ?? '';
        }
        if (location.startsWith(client.redirectUri)) {
          resolveRedirect(new URL(location));
          await route.fulfill({
            status: 200,
            contentType: 'text/html',
            body: '<!doctype html><title>authmatrix</title><p>Returning to the app…</p>',
          });
          return;
        }
        await route.fulfill({ response });
      });

      await journeyStep('Open the sign-in sheet', async () => {
        await this.page.goto(authorizationUrl(this.options.authorizationEndpoint, client, pkce));
      });

      await this.identityProvider.signIn(account, this.options.codes, () => Promise.resolve(redirected));
      let timer: NodeJS.Timeout | undefined;
      const location = await Promise.race([
        redirect,
        new Promise<never>((_, reject) => {
          const waitMs = scaled(20_000);
          timer = setTimeout(() => reject(new Error(`the sign-in never handed a redirect back to the app within ${waitMs} ms`)), waitMs);
        }),
      ]).finally(() => clearTimeout(timer));
      return journeyStep('Exchange the code through the mobile gateway', async () => {
        return completeNativeSignIn(this.options, location.searchParams, pkce);
      });
    });
  }
}
