/**
 * authmatrix: the regression suite's Playwright configuration. Settings are read once, here, from
 * `.env` and the environment; a bad value stops the run before any test with one message.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { defineConfig, type Project } from '@playwright/test';
import { headedRun, launchOptionsFor, resolveBrowser } from './browsers/browser.ts';
import {
  chooseEngine,
  detectEngines,
  engineProjectName,
  PROFILE_ENGINES_KEY,
  type EngineChoice,
  type ProfileEngines,
} from './browsers/engines.ts';
import { loadSettingsOrExit, matrixScope, runOutput } from './settings/settings.ts';
import { resolveTimeoutScale, scaled } from './settings/timeouts.ts';
import type { TestFixtures, WorkerFixtures } from './fixtures/test.ts';
import { PROFILES } from './matrix/profiles.ts';
import { RUN_METADATA_KEY, type RunDescription } from './reporters/matrix-reporter.ts';
import { allureListeners } from './reporters/allure-results.ts';
import { LAB_COMMAND } from './scripts/processes.ts';

const settings = loadSettingsOrExit();
// Every timeout below is sized for a quiet machine and multiplied by the run's scale (TIMEOUT_SCALE,
// or measured here, once, and handed to the workers): a busy machine makes a run slower, not red.
resolveTimeoutScale(settings.timeoutScale);
const output = runOutput(settings);
const PACKAGE_VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const CI = Boolean(process.env.CI);

// Workers inherit the main process's environment, so the token fixed here is the one the lab
// (started below) and every worker use. A lab started on its own (`npm run lab`) leaves its
// generated token in .lab/admin-token, which lets this run reuse that lab.
const TOKEN_FILE = '.lab/admin-token';
process.env.LAB_ADMIN_TOKEN ??=
  settings.labAdminToken ?? (existsSync(TOKEN_FILE) ? readFileSync(TOKEN_FILE, 'utf8').trim() : randomBytes(24).toString('base64url'));

// One id per run, shared by the workers: the per-account attempt budget counts within a run.
process.env.AUTHMATRIX_RUN_ID ??= randomBytes(8).toString('hex');

// Playwright's error-context.md carries an ARIA snapshot of the failed page, field values included;
// it stays on for the person debugging, and the workers' redactor (evidence/secrets.ts) scrubs it
// of every secret the run knows before any reporter sees it.

const browser = resolveBrowser({ browserExecutable: settings.browserExecutable, headed: headedRun() });
const launchOptions = launchOptionsFor(browser);

// One project per engine: the profiles that run on one engine share its workers and their browser,
// so a run launches at most one browser per engine per worker. A test's profile is its tag
// (`@windows-chrome`): the tag routes it to its engine's project and names the profile it presents.
const engines = detectEngines();
const byEngine = new Map<string, { engine: EngineChoice; profileEngines: ProfileEngines }>();
for (const profile of PROFILES) {
  const engine = chooseEngine(profile, engines);
  const entry = byEngine.get(engineProjectName(engine)) ?? { engine, profileEngines: {} };
  entry.profileEngines[profile.name] = engine.label;
  byEngine.set(engineProjectName(engine), entry);
}
const projects: Project[] = [...byEngine].map(([name, { engine, profileEngines }]) => ({
  name,
  grep: new RegExp(`(^|\\s)@(${Object.keys(profileEngines).join('|')})(\\s|$)`),
  metadata: { [PROFILE_ENGINES_KEY]: profileEngines },
  use: {
    browserName: engine.browserName,
    ...(engine.channel ? { channel: engine.channel } : {}),
    ...(engine.browserName === 'chromium' && !engine.channel ? { launchOptions } : {}),
  },
}));

// What this run is, for the matrix reporter; blob reports keep it for `merge-reports`.
const run: RunDescription = {
  runId: process.env.AUTHMATRIX_RUN_ID,
  tier: settings.matrix,
  target:
    settings.target.kind === 'lab'
      ? `lab (http://127.0.0.1:${settings.labPort})`
      : `${settings.target.name} (${settings.target.profile.app.url})`,
  ...(settings.target.kind === 'lab' ? { targetVersion: `authmatrix lab ${PACKAGE_VERSION}` } : {}),
  faults: settings.target.kind === 'lab' ? settings.labFaults : [],
  fixedAxes: matrixScope(settings).fixedAxes,
  // A listed run (triage's re-runs) is no run of the matrix: its order is the list's.
  order: settings.matrixCells ? 'listed' : settings.matrixOrder,
};

export default defineConfig<TestFixtures, WorkerFixtures>({
  testDir: './tests',
  metadata: { [RUN_METADATA_KEY]: run },
  // The profile doctor is a tool, run by `npm run doctor`, not a test of the target.
  ...(process.env.AUTHMATRIX_DOCTOR ? {} : { testIgnore: ['**/doctor.spec.ts'] }),
  fullyParallel: true,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  ...(CI ? { workers: 2 } : {}),
  timeout: scaled(60_000),
  expect: { timeout: scaled(15_000) },
  outputDir: output.testResults,
  globalSetup: './settings/global-setup.ts',
  reporter: [
    [CI ? 'dot' : 'list'],
    ['./reporters/matrix-reporter.ts', { outputDir: output.reports, allureResultsDir: output.allureResults }],
    // The listener puts a failure's evidence first and keeps the suite's data annotations out of its steps.
    ['allure-playwright', { resultsDir: output.allureResults, detail: false, suiteTitle: true, listeners: allureListeners }],
    // AUTHMATRIX_PHASES=<file>: where the run's time goes, phase by phase (npm run bench reads it).
    ...(process.env.AUTHMATRIX_PHASES ? [['./reporters/phase-reporter.ts', { outputFile: process.env.AUTHMATRIX_PHASES }] as const] : []),
    // Sharded CI runs add a blob report per shard for `playwright merge-reports`.
    ...(process.env.BLOB_REPORT
      ? [['blob', { outputDir: 'blob-report', fileName: `report-${process.env.BLOB_NAME ?? 'shard'}.zip` }] as const]
      : []),
  ],
  use: {
    ...(settings.wsEndpoint ? { connectOptions: { wsEndpoint: settings.wsEndpoint } } : {}),
    // Traces record typed values and DOM snapshots of filled fields, so they stay off until they
    // can be scrubbed of secrets; failures carry redacted evidence instead.
    trace: 'off',
    screenshot: 'off',
    video: 'off',
    actionTimeout: scaled(15_000),
    navigationTimeout: scaled(20_000),
  },
  projects,
  webServer:
    settings.target.kind === 'lab'
      ? [
          {
            command: LAB_COMMAND,
            url: `http://127.0.0.1:${settings.labPort}/__lab/health`,
            reuseExistingServer: !CI,
            timeout: scaled(30_000),
            stdout: 'ignore',
            stderr: 'pipe',
            gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
            env: {
              LAB_PORT: String(settings.labPort),
              LAB_ADMIN_TOKEN: process.env.LAB_ADMIN_TOKEN,
              LAB_FAULTS: settings.labFaults.join(','),
              LAB_QUIET: '1',
            },
          },
        ]
      : [],
});
