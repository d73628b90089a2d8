import { expect, type Page } from '@playwright/test';
import { journeyStep } from './timeline.ts';
import { AppLandingPage } from './app-landing.page.ts';
import { AuthErrorPage, type AuthErrorDetails } from './auth-error.page.ts';
import type { EmailPage } from './email.page.ts';
import { IdentityProviderScreens, type CodeSource, type JourneyAccount } from './identity-provider.ts';
import type { UiLabels } from './labels.ts';
import { SignedInHomePage } from './signed-in-home.page.ts';

export type JourneyOutcome = { kind: 'signed-in'; email: string; plan: string } | { kind: 'error'; details: AuthErrorDetails };

/** The whole sign-in, screen by screen, as a user goes through it. */
export class LoginJourney {
  readonly landing: AppLandingPage;
  readonly identityProvider: IdentityProviderScreens;
  readonly email: EmailPage;
  readonly home: SignedInHomePage;
  readonly error: AuthErrorPage;

  constructor(
    readonly page: Page,
    appUrl: string,
    labels: UiLabels,
    private readonly codes: CodeSource,
  ) {
    this.landing = new AppLandingPage(page, appUrl, labels);
    this.identityProvider = new IdentityProviderScreens(page, labels);
    this.email = this.identityProvider.email;
    this.home = new SignedInHomePage(page, labels);
    this.error = new AuthErrorPage(page, labels);
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
      await this.error.tryAgainButton.click();
      await expect(this.error.tryAgainButton).toBeHidden();
      await expect(this.email.emailField.or(this.home.heading).or(this.error.heading)).toBeVisible();
      if (await this.email.emailField.isVisible()) return this.completeAtIdentityProvider(account);
      return this.outcome();
    });
  }

  private async completeAtIdentityProvider(account: JourneyAccount): Promise<JourneyOutcome> {
    await this.identityProvider.signIn(account, this.codes);
    return this.outcome();
  }

  /** Waits for the app to land on either the signed-in home or its error page, and reads which. */
  async outcome(): Promise<JourneyOutcome> {
    return journeyStep('Wait for the app to finish signing in', async () => {
      await expect(this.home.heading.or(this.error.heading)).toBeVisible();
      if (await this.home.heading.isVisible()) {
        const [email, plan] = await Promise.all([this.home.accountEmail.textContent(), this.home.plan.textContent()]);
        return { kind: 'signed-in' as const, email: (email ?? '').trim(), plan: (plan ?? '').trim() };
      }
      return { kind: 'error' as const, details: await this.error.read() };
    });
  }
}
