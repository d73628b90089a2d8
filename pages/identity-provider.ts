import { expect, type Locator, type Page } from '@playwright/test';
import type { SecondFactorChannel, TargetProfile } from '../targets/profile.ts';
import { EmailPage } from './email.page.ts';
import { buttonLocator } from './locate.ts';
import { PasswordPage } from './password.page.ts';
import { SecondFactorPage } from './second-factor.page.ts';
import { journeyStep } from './timeline.ts';

export interface JourneyAccount {
  email: string;
  password: string;
  phone: string | null;
  totpSecret: string | null;
}

/** Where one-time codes come from: an authenticator (TOTP), a phone or a mailbox. */
export interface CodeSource {
  /** Marks the start of a sign-in that will ask for a `channel` code: one sent from now on is this sign-in's. */
  beginSignIn?(account: JourneyAccount, channel: SecondFactorChannel): Promise<void>;
  codeFor(account: JourneyAccount, channel: SecondFactorChannel): Promise<string>;
}

export function secondFactorChannel(account: Pick<JourneyAccount, 'phone' | 'totpSecret'>): SecondFactorChannel {
  if (account.totpSecret) return 'totp';
  if (account.phone) return 'sms';
  return 'email';
}

/** The identity provider's screens as its target profile describes them. */
export type ProviderProfile = Pick<TargetProfile, 'screens' | 'identityProvider'>;

/** The identity provider's screens in the order a user meets them: email, password, second factor, consent. */
export class IdentityProviderScreens {
  readonly email: EmailPage;
  readonly password: PasswordPage;
  readonly secondFactor: SecondFactorPage | undefined;
  readonly consentButton: Locator | undefined;

  constructor(
    private readonly page: Page,
    private readonly profile: ProviderProfile,
  ) {
    const { screens } = profile;
    this.email = new EmailPage(page, screens.email);
    this.password = new PasswordPage(page, screens.password);
    this.secondFactor = screens.secondFactor ? new SecondFactorPage(page, screens.secondFactor) : undefined;
    this.consentButton = screens.consent ? buttonLocator(page, screens.consent.submit) : undefined;
  }

  async signIn(account: JourneyAccount, codes: CodeSource): Promise<void> {
    // Only a target with a second-factor screen sends codes: no inbox is touched otherwise.
    const channel = this.secondFactor ? secondFactorChannel(account) : undefined;
    if (channel) await codes.beginSignIn?.(account, channel);
    await this.email.submitEmail(account.email);
    await this.password.submitPassword(account.password);
    if (this.secondFactor && channel) await this.secondFactor.submitCode(channel, () => codes.codeFor(account, channel));
    await this.confirmConsentIfAsked();
  }

  /** Where the provider shows a consent screen, confirms it; done once the browser leaves the provider. */
  private async confirmConsentIfAsked(): Promise<void> {
    const consent = this.consentButton;
    if (!consent) return;
    const issuerOrigin = new URL(this.profile.identityProvider.issuer).origin;
    const onProvider = () => {
      try {
        return new URL(this.page.url()).origin === issuerOrigin;
      } catch {
        return false;
      }
    };
    await expect
      .poll(async () => (await consent.isVisible()) || !onProvider(), { message: 'the consent screen or the way back to the app' })
      .toBe(true);
    if (await consent.isVisible()) {
      await journeyStep('Confirm consent', async () => {
        await consent.click();
      });
    }
  }
}
