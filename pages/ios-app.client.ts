import type { Page } from '@playwright/test';
import { journeyStep } from './timeline.ts';
import { authorizationUrl, createPkce, exchangeCode, type ClientRegistration, type TokenExchangeRecord } from '../fixtures/oauth.ts';
import type { UiLabels } from './labels.ts';
import { IdentityProviderScreens, type CodeSource, type JourneyAccount } from './identity-provider.ts';
import type { JourneyOutcome } from './login-journey.ts';
import { authorizationError, nativeOutcome } from './native-outcome.ts';

export interface IosAppOptions {
  authorizationEndpoint: string;
  /** The mobile gateway: where the app, unlike the web app, sends its token request. */
  tokenEndpoint: string;
  client: ClientRegistration;
  labels: UiLabels;
  codes: CodeSource;
  /** The app's own HTTP, through the cell's network path. */
  fetchImpl: typeof fetch;
  leewaySeconds?: number;
  /** Told of the token exchange as it happens, for the evidence. */
  onExchange?: (record: TokenExchangeRecord) => void;
}

/**
 * The iOS app: it opens the identity provider's pages in an in-app browser (a mobile browser
 * context), catches the redirect to its custom scheme there, and exchanges the code itself
 * through the mobile gateway.
 */
export class IosAppClient {
  readonly identityProvider: IdentityProviderScreens;

  constructor(
    private readonly page: Page,
    private readonly options: IosAppOptions,
  ) {
    this.identityProvider = new IdentityProviderScreens(page, options.labels);
  }

  async signIn(account: JourneyAccount): Promise<JourneyOutcome> {
    return journeyStep('Sign in from the iOS app', async () => {
      const { client } = this.options;
      const pkce = createPkce();
      // The in-app browser hands a redirect to the app's custom scheme over to the app instead of
      // loading it: the identity provider's redirecting responses are read here first.
      let resolveRedirect: (location: URL) => void = () => undefined;
      const redirect = new Promise<URL>((resolve) => (resolveRedirect = resolve));
      const idpOrigin = new URL(this.options.authorizationEndpoint).origin;
      await this.page.route(`${idpOrigin}/**`, async (route) => {
        let response = await route.fetch({ maxRedirects: 0 });
        let location = response.headers().location ?? '';
        // A redirect the browser follows is not routed again, so the hop to the authorization
        // endpoint's resume URL (which answers with the app's redirect) is made here.
        while (new URL(location, idpOrigin).href.startsWith(`${idpOrigin}/auth/`)) {
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

      await this.identityProvider.signIn(account, this.options.codes);
      const location = await Promise.race([
        redirect,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('the sign-in never handed a redirect back to the app within 20 s')), 20_000).unref(),
        ),
      ]);
      return journeyStep('Exchange the code through the mobile gateway', async () => {
        if (location.searchParams.get('error')) return authorizationError(location.searchParams);
        if (location.searchParams.get('state') !== pkce.state)
          throw new Error('the redirect to the app carried a state the app did not send');
        const exchange = await exchangeCode({
          endpoint: this.options.tokenEndpoint,
          code: location.searchParams.get('code') ?? '',
          client,
          verifier: pkce.verifier,
          fetchImpl: this.options.fetchImpl,
        });
        this.options.onExchange?.(exchange.record);
        return nativeOutcome(exchange, pkce.nonce, this.options.leewaySeconds ?? 300);
      });
    });
  }
}
