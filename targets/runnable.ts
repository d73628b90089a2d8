/**
 * Which cells of a run can run on its target, and why the others cannot: the target registers no
 * such client, asks for no such factor, or ACCOUNTS_FILE holds no account of the cell's type. The
 * run's header counts coverage over the cells that can run, not over the tier's list.
 */
import { matches } from '../accounts/account-pool.ts';
import type { TestAccount } from '../accounts/accounts.ts';
import { accountTypeLabel } from '../matrix/axes.ts';
import { accountSpecOf, type Cell } from '../matrix/cells.ts';
import { profileNamed } from '../matrix/profiles.ts';
import type { TargetProfile } from './profile.ts';
import { countSkips, NO_ACCOUNT_OF_TYPE, skipsText } from './skips.ts';
import { unsupportedReason, type CellNeeds } from './support.ts';

/**
 * Why a test cannot run on a target (its profile, when it has one; its accounts, when they are a
 * file): the target cannot serve its client, factor or cookie condition, or no account is of its
 * type. `accountsWhere` says which accounts were looked at (a shard's part of the file).
 */
export function skipReason(
  needs: CellNeeds,
  profile: TargetProfile | undefined,
  accounts: readonly TestAccount[] | undefined,
  accountsWhere = '',
): string | undefined {
  const unsupported = profile ? unsupportedReason(profile, needs) : undefined;
  if (unsupported) return unsupported;
  if (accounts && !accounts.some((account) => matches(account, needs.accountSpec)))
    return `${NO_ACCOUNT_OF_TYPE}${accountsWhere} is ${accountTypeLabel(needs.accountSpec)}`;
  return undefined;
}

export interface Runnable {
  runnable: Cell[];
  /** Why the others are left out, each reason with its count (targets/skips.ts). */
  skipped: { reason: string; count: number }[];
}

export function runnableCells(
  cells: readonly Cell[],
  profile: TargetProfile | undefined,
  accounts: readonly TestAccount[] | undefined,
): Runnable {
  const runnable: Cell[] = [];
  const reasons: string[] = [];
  for (const cell of cells) {
    const needs = { clientKind: profileNamed(cell.profile).kind, accountSpec: accountSpecOf(cell), cookies: cell.cookies };
    const reason = skipReason(needs, profile, accounts);
    if (reason === undefined) runnable.push(cell);
    else reasons.push(reason);
  }
  return { runnable, skipped: countSkips(reasons) };
}

/** `29 of 38 skipped: 27 no account of their type in ACCOUNTS_FILE, 2 target … registers no iOS app client`, or undefined. */
export function skippedLine({ runnable, skipped }: Runnable): string | undefined {
  const total = skipped.reduce((sum, { count }) => sum + count, 0);
  if (total === 0) return undefined;
  return `${total} of ${total + runnable.length} skipped: ${skipsText(skipped)}`;
}
