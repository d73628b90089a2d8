import { expect, type Page } from '@playwright/test';
import type { TargetProfile } from '../targets/profile.ts';
import { AppLandingPage } from './app-landing.page.ts';
import { AuthErrorPage, type AuthErrorDetails } from './auth-error.page.ts';
import type { EmailPage } from './email.page.ts';
import { IdentityProviderScreens, type CodeSource, type JourneyAccount } from './identity-provider.ts';
import { SignedInHomePage } from './signed-in-home.page.ts';
import { journeyStep } from './timeline.ts';

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
    this.identityProvider = new IdentityProviderScreens(page, profile);
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
      const next = await this.waitFor(['email', 'signed-in', 'error']);
      if (next === 'email') return this.completeAtIdentityProvider(account);
      return this.outcome();
    });
  }

  private async completeAtIdentityProvider(account: JourneyAccount): Promise<JourneyOutcome> {
    await this.identityProvider.signIn(account, this.codes);
    return this.outcome();
  }

  private async state(): Promise<'email' | 'signed-in' | 'error' | 'pending'> {
    if (await this.home.isShown()) return 'signed-in';
    if (await this.error.isShown()) return 'error';
    if (await this.email.emailField.isVisible()) return 'email';
    return 'pending';
  }

  /**
   * Waits until the page is in one of `states`: on the states' visible markers where the profile
   * names them (a web-first assertion), else by checking the page's URL and markers in a bounded poll.
   */
  private async waitFor<S extends 'email' | 'signed-in' | 'error'>(states: readonly S[]): Promise<S> {
    const markers = states.map((state) =>
      state === 'email' ? this.email.emailField : state === 'signed-in' ? this.home.marker : this.error.marker,
    );
    const allMarked = markers.every((marker) => marker !== undefined);
    const urlOnly = this.home.recognisedByUrl || this.error.recognisedByUrl;
    if (allMarked && !urlOnly) {
      const [first, ...rest] = markers.filter((marker) => marker !== undefined);
      if (first) await expect(rest.reduce((union, marker) => union.or(marker), first).first()).toBeVisible();
    }
    let seen: string = 'pending';
    await expect
      .poll(
        async () => {
          seen = await this.state();
          return (states as readonly string[]).includes(seen);
        },
        { message: `the app to show one of: ${states.join(', ')}`, intervals: [50, 100, 250] },
      )
      .toBe(true);
    return seen as S;
  }

  /** Waits for the app to land on either the signed-in state or its error page, and reads which. */
  async outcome(): Promise<JourneyOutcome> {
    return journeyStep('Wait for the app to finish signing in', async () => {
      const landed = await this.waitFor(['signed-in', 'error']);
      if (landed === 'signed-in') return { kind: 'signed-in' as const, ...(await this.home.read()) };
      return { kind: 'error' as const, details: await this.error.read() };
    });
  }
}
