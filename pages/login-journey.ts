import { expect, type Page } from '@playwright/test';
import type { TargetProfile } from '../targets/profile.ts';
import { AppLandingPage } from './app-landing.page.ts';
import type { AuthErrorDetails } from '../evidence/error-page.ts';
import { AuthErrorPage } from './auth-error.page.ts';
import type { EmailPage } from './email.page.ts';
import type { CodeSource, JourneyAccount } from '../accounts/account.ts';
import { IdentityProviderScreens } from './identity-provider.ts';
import { askNow } from './locate.ts';
import { SignedInHomePage } from './signed-in-home.page.ts';
import { journeyStep } from '../evidence/timeline.ts';

/** How a sign-in ended: signed in (as whom, on which plan where the app shows one), or on the error page. */
export type JourneyOutcome =
  { kind: 'signed-in'; email: string | undefined; plan: string | undefined } | { kind: 'error'; details: AuthErrorDetails };

/** The whole sign-in, screen by screen, as a user goes through it. */
export class LoginJourney {
  readonly landing: AppLandingPage;
  readonly identityProvider: IdentityProviderScreens;
  readonly email: EmailPage;
  readonly home: SignedInHomePage;
  readonly error: AuthErrorPage;

  constructor(
    readonly page: Page,
    profile: TargetProfile,
    private readonly codes: CodeSource,
  ) {
    this.landing = new AppLandingPage(page, profile);
    this.identityProvider = new IdentityProviderScreens(page, profile, [profile.app.url, profile.app.callbackUrl]);
    this.email = this.identityProvider.email;
    this.home = new SignedInHomePage(page, profile.signedIn);
    this.error = new AuthErrorPage(page, profile.error);
  }

  async signIn(account: JourneyAccount): Promise<JourneyOutcome> {
    return journeyStep('Sign in', async () => {
      await this.landing.open();
      await this.landing.startLogin();
      return this.completeAtIdentityProvider(account);
    });
  }

  /**
   * From the app's error page: "Try again". The identity provider asks to sign in again, or, if
   * it still knows the session, sends the browser straight back to the app.
   */
  async retryAfterError(account: JourneyAccount): Promise<JourneyOutcome> {
    return journeyStep('Try again from the error page', async () => {
      const retry = this.error.tryAgainButton;
      if (!retry) throw new Error('the target profile names no retry button on the error page (error.retry)');
      await retry.click();
      await expect(retry).toBeHidden();
      return this.completeAtIdentityProvider(account);
    });
  }

  /** Goes through whichever provider screens show, until the app shows signed-in or its error page. */
  private async completeAtIdentityProvider(account: JourneyAccount): Promise<JourneyOutcome> {
    let landed: 'signed-in' | 'error' | undefined;
    await this.identityProvider.signIn(account, this.codes, async () => (landed = await this.landed()) !== undefined);
    return this.outcome(landed);
  }

  /** Whether the app shows signed-in or its error page now (no wait). */
  async landed(): Promise<'signed-in' | 'error' | undefined> {
    // Asked together; the error page's answer (or its failure) counts only when the app is not signed in.
    const error = askNow(this.error.isShown());
    if (await this.home.isShown()) return 'signed-in';
    return (await error()) ? 'error' : undefined;
  }

  /**
   * Waits for the app to land on either the signed-in state or its error page, and reads which.
   * `seen`: where the app was seen to land already (the journey's last look), not asked again.
   */
  async outcome(seen?: 'signed-in' | 'error'): Promise<JourneyOutcome> {
    return journeyStep('Wait for the app to finish signing in', async () => {
      let landed = seen;
      if (!landed)
        await expect
          .poll(async () => (landed = await this.landed()), {
            message: 'the app to show signed-in or its error page',
            intervals: [0, 25, 50, 100],
          })
          .toBeDefined();
      if (landed === 'signed-in') return { kind: 'signed-in' as const, ...(await this.home.read()) };
      return { kind: 'error' as const, details: await this.error.read() };
    });
  }
}
