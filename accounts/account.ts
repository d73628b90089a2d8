/**
 * An account as a sign-in uses it, where its one-time codes come from, and which channel a
 * provider's second factor reaches it by. Types and one rule: the page objects, the clients and
 * the code sources all speak of accounts in these terms.
 */
import type { SecondFactorChannel } from '../matrix/axes.ts';

/** A TOTP code's period (RFC 6238's default): the suite's codes use it, and its spacing rules count in it. */
export const TOTP_PERIOD_MS = 30_000;

export interface JourneyAccount {
  email: string;
  /** A user name, for a provider whose identifier screen asks for one (screens.email.value: "login"). */
  login?: string | null | undefined;
  password: string;
  phone: string | null;
  totpSecret: string | null;
}

/** Where one-time codes come from: an authenticator (TOTP), a phone or a mailbox. */
export interface CodeSource {
  /** Marks the start of a sign-in that may ask for a `channel` code: one sent from now on is this sign-in's. */
  beginSignIn?(account: JourneyAccount, channel: SecondFactorChannel): Promise<void>;
  codeFor(account: JourneyAccount, channel: SecondFactorChannel): Promise<string>;
  /** When the period of the last `channel` code this suite used for the account began, if it used one (TOTP). */
  previousCodeAt?(account: JourneyAccount, channel: SecondFactorChannel): number | undefined;
}

/**
 * The channel a provider that sends codes by `channels` uses for this account: its authenticator
 * when it has one, else its phone, else its mailbox. Undefined when the account has no way to
 * receive a code from this provider.
 */
export function secondFactorChannel(
  account: Pick<JourneyAccount, 'phone' | 'totpSecret'>,
  channels: readonly SecondFactorChannel[] = ['totp', 'sms', 'email'],
): SecondFactorChannel | undefined {
  if (account.totpSecret && channels.includes('totp')) return 'totp';
  if (account.phone && channels.includes('sms')) return 'sms';
  if (channels.includes('email')) return 'email';
  return undefined;
}
