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
import { unsupportedReason } from './support.ts';

/** Why `cell` cannot run on a target (its profile, when it has one; its accounts, when they are a file). */
export function skipReason(
  cell: Cell,
  profile: TargetProfile | undefined,
  accounts: readonly TestAccount[] | undefined,
): string | undefined {
  const accountSpec = accountSpecOf(cell);
  const unsupported = profile
    ? unsupportedReason(profile, { clientKind: profileNamed(cell.profile).kind, accountSpec, cookies: cell.cookies })
    : undefined;
  if (unsupported) return unsupported;
  if (accounts && !accounts.some((account) => matches(account, accountSpec)))
    return `no account in ACCOUNTS_FILE is ${accountTypeLabel(accountSpec)}`;
  return undefined;
}

export interface Runnable {
  runnable: Cell[];
  /** How many cells were left out, by the kind of reason (the account types wanting collapsed into one). */
  skipped: Map<string, number>;
}

export function runnableCells(
  cells: readonly Cell[],
  profile: TargetProfile | undefined,
  accounts: readonly TestAccount[] | undefined,
): Runnable {
  const runnable: Cell[] = [];
  const skipped = new Map<string, number>();
  for (const cell of cells) {
    const reason = skipReason(cell, profile, accounts);
    if (reason === undefined) runnable.push(cell);
    else {
      const kind = reason.startsWith('no account in ACCOUNTS_FILE') ? 'no account of their type in ACCOUNTS_FILE' : reason;
      skipped.set(kind, (skipped.get(kind) ?? 0) + 1);
    }
  }
  return { runnable, skipped };
}

/** `29 of 38 skipped: 27 no account of their type in ACCOUNTS_FILE, 2 target … registers no iOS app client`, or undefined. */
export function skippedLine({ runnable, skipped }: Runnable): string | undefined {
  const total = [...skipped.values()].reduce((sum, count) => sum + count, 0);
  if (total === 0) return undefined;
  return `${total} of ${total + runnable.length} skipped: ${[...skipped].map(([why, count]) => `${count} ${why}`).join(', ')}`;
}
