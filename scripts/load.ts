/**
 * `npm run load`: a bounded load test of the lab. A fixed number of concurrent protocol logins
 * (email, password, emailed code over real SMTP, token exchange) through every entry point and
 * directly; reports errors, lost messages and latency. Bounded in count and concurrency, on
 * loopback only. LOAD_LOGINS (per path, default 25) and LOAD_CONCURRENCY (default 8) size it.
 */
import { randomBytes } from 'node:crypto';
import { generateAccount } from '../accounts/accounts.ts';
import { CodeReader } from '../accounts/codes.ts';
import { LabAdminClient } from '../targets/lab-admin.ts';
import { fetchVia } from '../evidence/interception.ts';
import { protocolLogin } from '../clients/protocol-login.ts';
import { startLabProcess } from './processes.ts';

export interface LoadResult {
  logins: number;
  ok: number;
  errors: string[];
  byPath: Record<string, { ok: number; failed: number; medianMs: number }>;
  seconds: number;
}

export async function runLoad(perPath: number, concurrency: number): Promise<LoadResult> {
  const token = randomBytes(24).toString('base64url');
  const lab = await startLabProcess({ LAB_PORT: '0', LAB_ADMIN_TOKEN: token, LAB_FAULTS: '', LAB_QUIET: '1' });
  const admin = new LabAdminClient(String(lab.ready.admin), token);
  const description = await admin.describe();
  // A code that does not arrive is a lost message: CodeReader fails the login with CodeNotReceivedError.
  const codes = new CodeReader({ email: admin, sms: admin });
  const paths: Record<string, string | undefined> = { direct: undefined, ...description.urls.entryPoints };
  const jobs = Object.keys(paths).flatMap((name) => Array.from({ length: perPath }, () => name));
  const durations: Record<string, number[]> = {};
  const failures: Record<string, number> = {};
  const errors: string[] = [];
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const name = jobs[next++] ?? 'direct';
      const account = generateAccount({
        emailProvider: next % 2 ? 'outlook' : 'gmail',
        phone: next % 3 ? 'none' : 'bound',
        plan: 'free',
        mfa: 'none',
        method: 'password',
      });
      await admin.createAccount(account);
      const fetchImpl = fetchVia(paths[name]);
      const t0 = Date.now();
      const result = await protocolLogin({
        issuer: description.urls.issuer,
        client: description.clients.web,
        email: account.email,
        password: account.password,
        fetchImpl,
        code: () => codes.codeFor(account, account.phone ? 'sms' : 'email'),
      }).catch((error: unknown) => ({ ok: false as const, stage: 'interaction' as const, message: String(error) }));
      if (result.ok) (durations[name] ??= []).push(Date.now() - t0);
      else {
        failures[name] = (failures[name] ?? 0) + 1;
        errors.push(`${name}: ${result.message}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await lab.stop();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  return {
    logins: jobs.length,
    ok: jobs.length - errors.length,
    errors,
    byPath: Object.fromEntries(
      Object.keys(paths).map((name) => [
        name,
        { ok: durations[name]?.length ?? 0, failed: failures[name] ?? 0, medianMs: median(durations[name] ?? []) },
      ]),
    ),
    seconds: (Date.now() - started) / 1000,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runLoad(Number(process.env.LOAD_LOGINS ?? 25), Number(process.env.LOAD_CONCURRENCY ?? 8));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exit(result.errors.length ? 1 : 0);
}
