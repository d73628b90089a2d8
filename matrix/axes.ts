/**
 * The matrix's axes and their values. Pure data: what a cell can be, not how it is run.
 */
import { PROFILES } from './profiles.ts';

export const EMAIL_PROVIDERS = ['outlook', 'gmail'] as const;
export const PHONES = ['bound', 'none'] as const;
export const PLANS = ['plus', 'free'] as const;
export const MFAS = ['totp', 'none'] as const;
export const COOKIE_CONDITIONS = ['fresh', 'returning', 'stale-login', 'cleared-mid-flow', 'third-party-blocked'] as const;
export const CLOCK_CONDITIONS = ['synced', 'ahead-90s', 'behind-90s', 'ahead-4m'] as const;
export const BUILT_IN_NETWORK_PATHS = ['direct', 'edge-east', 'edge-west', 'corporate'] as const;

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
  'cookies',
  'clock',
  'network',
] as const satisfies readonly (keyof Axes)[];
export type AxisName = (typeof AXIS_NAMES)[number];

/**
 * The axes, with any user network paths (NETWORK_PATHS) joining the built-in ones. The lab's entry
 * points (edge-east, edge-west, corporate) exist only in the lab; elsewhere the network axis is
 * direct plus the user's paths.
 */
export function axes(extraNetworkPaths: readonly string[] = [], labEntryPoints = true): Axes {
  return {
    profile: PROFILES.map((profile) => profile.name),
    emailProvider: EMAIL_PROVIDERS,
    phone: PHONES,
    plan: PLANS,
    mfa: MFAS,
    cookies: COOKIE_CONDITIONS,
    clock: CLOCK_CONDITIONS,
    network: [...(labEntryPoints ? BUILT_IN_NETWORK_PATHS : (['direct'] as const)), ...extraNetworkPaths],
  };
}
