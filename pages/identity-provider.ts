import type { Page } from '@playwright/test';
import { EmailPage } from './email.page.ts';
import type { UiLabels } from './labels.ts';
import { PasswordPage } from './password.page.ts';
import { SecondFactorPage, type SecondFactorChannel } from './second-factor.page.ts';

export interface JourneyAccount {
  email: string;
  password: string;
  phone: string | null;
  totpSecret: string | null;
}

/** Where one-time codes come from: an authenticator (TOTP), a phone or a mailbox. */
export interface CodeSource {
  codeFor(account: JourneyAccount, channel: SecondFactorChannel): Promise<string>;
}

export function secondFactorChannel(account: Pick<JourneyAccount, 'phone' | 'totpSecret'>): SecondFactorChannel {
  if (account.totpSecret) return 'totp';
  if (account.phone) return 'sms';
  return 'email';
}

/** The identity provider's screens in the order a user meets them: email, password, second factor. */
export class IdentityProviderScreens {
  readonly email: EmailPage;
  readonly password: PasswordPage;
  readonly secondFactor: SecondFactorPage;

  constructor(page: Page, labels: UiLabels) {
    this.email = new EmailPage(page, labels);
    this.password = new PasswordPage(page, labels);
    this.secondFactor = new SecondFactorPage(page, labels);
  }

  async signIn(account: JourneyAccount, codes: CodeSource): Promise<void> {
    await this.email.submitEmail(account.email);
    await this.password.submitPassword(account.password);
    const channel = secondFactorChannel(account);
    await this.secondFactor.submitCode(channel, () => codes.codeFor(account, channel));
  }
}
