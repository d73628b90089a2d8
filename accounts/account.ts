/**
 * An account as a sign-in uses it, where its one-time codes come from, and which channel a
 * provider's second factor reaches it by. Types and one rule: the page objects, the clients and
 * the code sources all speak of accounts in these terms.
 */
import { EMAIL_PROVIDERS, type EmailProvider, type Method, type SecondFactorChannel } from '../matrix/axes.ts';

/** A TOTP code's period (RFC 6238's default): the suite's codes use it, and its spacing rules count in it. */
export const TOTP_PERIOD_MS = 30_000;

export interface JourneyAccount {
  email: string;
  /** A user name, for a provider whose identifier screen asks for one (screens.email.value: "login"). */
  login?: string | null | undefined;
  password: string;
  phone: string | null;
  totpSecret: string | null;
  /** How it signs in: its password at the provider (default), or through an upstream ("Continue with Microsoft"). */
  method?: Method | undefined;
  /** The upstream a federated account signs in through (a profile's federation[].name); by default the one for its email provider. */
  upstream?: string | undefined;
}

/** The address domains of each email provider: an Outlook-family address is any of three. */
export const PROVIDER_DOMAINS: Record<EmailProvider, readonly string[]> = {
  outlook: ['outlook.com', 'hotmail.com', 'live.com'],
  gmail: ['gmail.com'],
};

export function providerOf(email: string): EmailProvider | undefined {
  const domain = email.split('@')[1]?.toLowerCase() ?? '';
  return EMAIL_PROVIDERS.find((provider) => PROVIDER_DOMAINS[provider].includes(domain));
}

/** The upstream a federated account signs in through, of those a profile describes. */
export function upstreamOf<U extends { name: string; emailProviders: readonly EmailProvider[] }>(
  account: Pick<JourneyAccount, 'email' | 'upstream'>,
  upstreams: readonly U[] = [],
): U | undefined {
  if (account.upstream) return upstreams.find((upstream) => upstream.name === account.upstream);
  const provider = providerOf(account.email);
  return provider ? upstreams.find((upstream) => upstream.emailProviders.includes(provider)) : undefined;
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
