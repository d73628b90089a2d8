/**
 * The matrix's axes and their values: the one place each word of the vocabulary is spelled.
 * Pure data: what a cell can be, not how it is run.
 */
import { PROFILES } from './profiles.ts';

export const EMAIL_PROVIDERS = ['outlook', 'gmail'] as const;
export const PHONES = ['bound', 'none'] as const;
export const PLANS = ['plus', 'free'] as const;
export const MFAS = ['totp', 'none'] as const;
/** How the account signs in: the provider's own password, or "Continue with Microsoft/Google" (its email provider's upstream). */
export const METHODS = ['password', 'federated'] as const;

/** How a one-time code reaches the user: an authenticator app, a text message, or an email. */
export const SECOND_FACTOR_CHANNELS = ['totp', 'sms', 'email'] as const;
export type SecondFactorChannel = (typeof SECOND_FACTOR_CHANNELS)[number];
export const COOKIE_CONDITIONS = ['fresh', 'returning', 'stale-login', 'cleared-mid-flow', 'third-party-blocked'] as const;
export const CLOCK_CONDITIONS = ['synced', 'ahead-90s', 'behind-90s', 'ahead-4m'] as const;
/** The lab's entry points: forward proxies a browser context or a native client can go through. */
export const ENTRY_POINTS = ['edge-east', 'edge-west', 'corporate'] as const;
export const DIRECT = 'direct';
export const BUILT_IN_NETWORK_PATHS = [DIRECT, ...ENTRY_POINTS] as const;

export type EmailProvider = (typeof EMAIL_PROVIDERS)[number];
export type Phone = (typeof PHONES)[number];
export type Plan = (typeof PLANS)[number];
export type Mfa = (typeof MFAS)[number];
export type Method = (typeof METHODS)[number];
export type EntryPoint = (typeof ENTRY_POINTS)[number];

/** The kind of account a cell signs in with: the five account axes. */
export interface AccountSpec {
  emailProvider: EmailProvider;
  phone: Phone;
  plan: Plan;
  mfa: Mfa;
  method: Method;
}

/** Account axes that do not apply to a target (it has no phones, say), each held to one value. */
export type FixedAxes = Partial<AccountSpec>;

/**
 * `outlook/none/plus/totp`, and `outlook/none/plus/totp/federated` for an account that signs in
 * through its upstream: how an account type is written in titles, heat maps and messages.
 */
export function accountTypeLabel(spec: AccountSpec): string {
  return `${spec.emailProvider}/${spec.phone}/${spec.plan}/${spec.mfa}${spec.method === 'federated' ? '/federated' : ''}`;
}

export type CookieCondition = (typeof COOKIE_CONDITIONS)[number];
export type ClockCondition = (typeof CLOCK_CONDITIONS)[number];

/** Browser clock offsets, in seconds, of each clock condition. */
export const CLOCK_OFFSET_SECONDS: Record<ClockCondition, number> = {
  synced: 0,
  'ahead-90s': 90,
  'behind-90s': -90,
  'ahead-4m': 240,
};

export interface Axes {
  profile: readonly string[];
  emailProvider: readonly string[];
  phone: readonly string[];
  plan: readonly string[];
  mfa: readonly string[];
  method: readonly string[];
  cookies: readonly string[];
  clock: readonly string[];
  network: readonly string[];
}

export const AXIS_NAMES = [
  'profile',
  'emailProvider',
  'phone',
  'plan',
  'mfa',
  'method',
  'cookies',
  'clock',
  'network',
] as const satisfies readonly (keyof Axes)[];
export type AxisName = (typeof AXIS_NAMES)[number];

/**
 * The axes, with any user network paths (NETWORK_PATHS) joining the built-in ones. The lab's entry
 * points (edge-east, edge-west, corporate) exist only in the lab; elsewhere the network axis is
 * direct plus the user's paths. A fixed account axis has its one value.
 */
export function axes(extraNetworkPaths: readonly string[] = [], labEntryPoints = true, fixed: FixedAxes = {}): Axes {
  return {
    profile: PROFILES.map((profile) => profile.name),
    emailProvider: fixed.emailProvider ? [fixed.emailProvider] : EMAIL_PROVIDERS,
    phone: fixed.phone ? [fixed.phone] : PHONES,
    plan: fixed.plan ? [fixed.plan] : PLANS,
    mfa: fixed.mfa ? [fixed.mfa] : MFAS,
    method: fixed.method ? [fixed.method] : METHODS,
    cookies: COOKIE_CONDITIONS,
    clock: CLOCK_CONDITIONS,
    network: [...(labEntryPoints ? BUILT_IN_NETWORK_PATHS : [DIRECT]), ...extraNetworkPaths],
  };
}
