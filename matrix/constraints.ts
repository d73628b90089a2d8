/**
 * Which axis values cannot meet in one cell, and why. A cell that breaks a constraint is never
 * generated; the constraints are listed in the README and in every run's matrix summary.
 */
import { profileNamed } from './profiles.ts';
import type { AxisName } from './axes.ts';

export interface Constraint {
  id: string;
  /** Why the combination cannot happen. */
  reason: string;
  /** The two axes the constraint relates. */
  axes: readonly [AxisName, AxisName];
  /** True when the two values may meet. */
  allows: (a: string, b: string) => boolean;
}

const isNative = (profile: string) => profileNamed(profile).kind !== 'web';

export const CONSTRAINTS: readonly Constraint[] = [
  {
    id: 'native-cookies',
    reason:
      'native clients (ios-app, desktop-cli) keep their login state in the app process, not in browser cookies: a browser context can start fresh or with an expired identity-provider session (returning); stale-login, cleared-mid-flow and third-party-blocked describe a web app cookie jar they do not have',
    axes: ['profile', 'cookies'],
    allows: (profile, cookies) => !isNative(profile) || cookies === 'fresh' || cookies === 'returning',
  },
  {
    id: 'native-clock',
    reason:
      "the clock condition skews the browser's clock (page.clock), which is what a web app checks tokens against; native clients check tokens in their own process, so for them only synced applies",
    axes: ['profile', 'clock'],
    allows: (profile, clock) => !isNative(profile) || clock === 'synced',
  },
];

/** True when the (possibly partial) assignment breaks no constraint. */
export function satisfiesConstraints(row: Partial<Record<AxisName, string>>): boolean {
  return CONSTRAINTS.every((constraint) => {
    const [first, second] = constraint.axes;
    const a = row[first];
    const b = row[second];
    return a === undefined || b === undefined || constraint.allows(a, b);
  });
}
