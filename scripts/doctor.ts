/**
 * `npm run doctor`: signs one account from ACCOUNTS_FILE (DOCTOR_ACCOUNT picks which) in on the
 * target from .env, screen by screen, printing which profile entry matched which element, which
 * matched nothing, and what each screen shows, with masked screenshots in reports/doctor/
 * (tests/doctor.spec.ts). Exits non-zero where the profile stops matching the target.
 */
import { runSuite } from './processes.ts';

const run = await runSuite(
  ['tests/doctor.spec.ts', '--grep', '@windows-chrome', '--workers', '1', '--retries', '0', '--reporter', 'list'],
  { AUTHMATRIX_DOCTOR: '1' },
  { output: 'terminal' },
);
process.exit(run.status ?? 1);
