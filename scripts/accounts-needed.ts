/**
 * `npm run accounts:needed`: the account types the chosen tier (MATRIX) needs on the chosen target
 * (TARGET), how many cells each serves, and which of them ACCOUNTS_FILE lacks. Cells the target
 * cannot serve (a client it does not register, an authenticator it never asks for) need none, and
 * are counted apart. Exits 1 when a needed type has no account, so a CI job can stop on it.
 */
import { matches } from '../accounts/account-pool.ts';
import type { TestAccount } from '../accounts/accounts.ts';
import { accountTypeLabel } from '../matrix/axes.ts';
import { accountSpecOf, cellsFor } from '../matrix/cells.ts';
import { profileNamed } from '../matrix/profiles.ts';
import { loadSettings, matrixScope, SettingsError } from '../settings/settings.ts';
import { unsupportedReason } from '../targets/support.ts';

export interface AccountNeed {
  type: string;
  cells: number;
  accounts: number;
}

export interface AccountsNeeded {
  tier: string;
  /** Accounts are made on the fly (the lab, with no ACCOUNTS_FILE): none is missing. */
  generated: boolean;
  target: string;
  needs: AccountNeed[];
  /** Cells the target cannot serve, by reason. */
  unservable: Record<string, number>;
}

export function accountsNeeded(): AccountsNeeded {
  const settings = loadSettings();
  const isLab = settings.target.kind === 'lab';
  const scope = matrixScope(settings);
  const cells = cellsFor(settings.matrix, scope.networkPaths, scope.labEntryPoints, scope.fixedAxes);
  const accounts: TestAccount[] = settings.accounts ?? [];
  const needs = new Map<string, AccountNeed>();
  const unservable: Record<string, number> = {};
  for (const cell of cells) {
    const spec = accountSpecOf(cell);
    if (settings.target.kind === 'profile') {
      const reason = unsupportedReason(settings.target.profile, {
        clientKind: profileNamed(cell.profile).kind,
        accountSpec: spec,
        cookies: cell.cookies,
      });
      if (reason) {
        unservable[reason] = (unservable[reason] ?? 0) + 1;
        continue;
      }
    }
    const type = accountTypeLabel(spec);
    const need = needs.get(type) ?? { type, cells: 0, accounts: accounts.filter((account) => matches(account, spec)).length };
    need.cells += 1;
    needs.set(type, need);
  }
  return {
    tier: settings.matrix,
    generated: isLab && !settings.accountsFile,
    target: settings.target.kind === 'profile' ? settings.target.name : 'lab',
    needs: [...needs.values()].sort((a, b) => a.type.localeCompare(b.type)),
    unservable,
  };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  let report: AccountsNeeded;
  try {
    report = accountsNeeded();
  } catch (error) {
    process.stderr.write(`accounts:needed: ${error instanceof SettingsError || error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const lines = [`The ${report.tier} tier on target ${report.target} needs ${report.needs.length} account types:`, ''];
  const width = Math.max(...report.needs.map((need) => need.type.length), 'account type'.length);
  lines.push(`  ${'account type'.padEnd(width)}  cells  in ACCOUNTS_FILE`);
  for (const need of report.needs) {
    const have = report.generated ? 'made on the fly' : need.accounts ? String(need.accounts) : 'MISSING';
    lines.push(`  ${need.type.padEnd(width)}  ${String(need.cells).padStart(5)}  ${have}`);
  }
  const unservable = Object.entries(report.unservable);
  if (unservable.length) lines.push('');
  for (const [reason, count] of unservable) lines.push(`  ${count} cell(s) need no account: ${reason}`);
  const missing = report.generated ? [] : report.needs.filter((need) => need.accounts === 0);
  lines.push(
    '',
    missing.length
      ? `ACCOUNTS_FILE lacks ${missing.length} type(s): ${missing.map((need) => need.type).join(', ')} — their cells would be skipped. An account's type is its email domain (outlook.com, hotmail.com, live.com, or gmail.com), phone (bound or null), plan, totpSecret (or null), and method (a type ending in /federated needs "method": "federated").`
      : 'Every type it needs has an account.',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exit(missing.length ? 1 : 0);
}
