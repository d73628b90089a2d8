/**
 * Why cells are skipped, counted: the reasons with how many cells each kept from running, the
 * account types an ACCOUNTS_FILE lacks counted as one reason. The run's header (over the cells
 * the target can run) and the matrix summary (over the cells skipped) say them alike.
 */

/** How a skip for want of an account of the cell's type starts (targets/runnable.ts says it). */
export const NO_ACCOUNT_OF_TYPE = 'no account in ACCOUNTS_FILE';

/** Each reason with its count, in the order first met. */
export function countSkips(reasons: readonly string[]): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const reason of reasons) {
    const kind = reason.startsWith(NO_ACCOUNT_OF_TYPE) ? 'no account of their type in ACCOUNTS_FILE' : reason;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([reason, count]) => ({ reason, count }));
}

/** `27 no account of their type in ACCOUNTS_FILE, 2 target … registers no iOS app client` */
export function skipsText(skips: readonly { reason: string; count: number }[]): string {
  return skips.map(({ reason, count }) => `${count} ${reason}`).join(', ');
}

/** `53/265 (20.0%)`: pairs covered of those allowed. */
export function coverageText({ covered, allowed }: { covered: number; allowed: number }): string {
  return `${covered}/${allowed} (${allowed ? ((100 * covered) / allowed).toFixed(1) : '0.0'}%)`;
}
