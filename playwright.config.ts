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
import { ENGINE_NAMES, PROFILES, type Engine } from './matrix/profiles.ts';
import { RUN_METADATA_KEY, type RunDescription } from './reporters/matrix-reporter.ts';
import { allureListeners } from './reporters/allure-results.ts';
import { LAB_COMMAND, labPortsPreflight } from './scripts/processes.ts';

const settings = loadSettingsOrExit();
// The runner loads this file, and so does each worker (TEST_WORKER_INDEX set): what follows up to
// the projects is the runner's to check and arrange, once.
const RUNNER = process.env.TEST_WORKER_INDEX === undefined;
const LISTING = process.argv.includes('--list');
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
if (RUNNER) refuseMissingEngines(projectsAsked(process.argv), new Set(byEngine.keys()));

/** The project names given with --project (`--project=webkit`, `--project webkit firefox`). */
function projectsAsked(argv: readonly string[]): string[] {
  const names: string[] = [];
  argv.forEach((arg, index) => {
    if (arg.startsWith('--project=')) names.push(arg.slice('--project='.length));
    else if (arg === '--project')
      for (const next of argv.slice(index + 1)) {
        if (next.startsWith('-')) break;
        names.push(next);
      }
  });
  return names;
}

/**
 * A project named for an engine this machine lacks (`--project=webkit` without WebKit) stops the
 * run with the command that installs it; Playwright would only list the projects there are.
 */
function refuseMissingEngines(asked: readonly string[], present: ReadonlySet<string>): void {
  const missing = asked.filter((name) => ENGINE_NAMES.includes(name as Engine) && !present.has(name));
  if (missing.length === 0) return;
  const lines = missing.map((name) => {
    const profiles = PROFILES.filter((profile) => profile.engine === name).map((profile) => profile.name);
    return (
      `--project=${name}: ${name} is not installed on this machine, so the run has no ${name} project ` +
      `(${profiles.join(', ')} run${profiles.length === 1 ? 's' : ''} emulated on Chromium in the chromium project). ` +
      `Install it with: npx playwright install ${name} (on a fresh Linux machine: npx playwright install --with-deps ${name}), then run again; ` +
      `or leave out --project=${name}.`
    );
  });
  process.stderr.write(`authmatrix: ${lines.join('\nauthmatrix: ')}\n`);
  process.exit(2);
}

// A port of the lab's held by another process stops the run here, before Playwright empties
// anything or starts a lab, with the holder's PID (a stray lab named as one). A whole lab that
// the run may reuse is handed to global setup, which names it if it refuses this run's token.
if (RUNNER && !LISTING && settings.target.kind === 'lab') {
  const ports = labPortsPreflight(settings.labPort, !CI);
  if (ports.problem) {
    process.stderr.write(`${ports.problem}\n`);
    process.exit(2);
  }
  if (ports.reusedPid) process.env.AUTHMATRIX_REUSED_LAB_PID = String(ports.reusedPid);
}

// SIGTERM (a CI job cancelled, a supervisor stopping the run) ends the run as Ctrl-C does:
// Playwright stops the tests and its lab. Without this, Node ends the runner at once and leaves
// the lab it started holding its ports (the lab also stops once its parent is gone: LAB_PARENT_PID).
const SIGTERM_HANDLED = Symbol.for('authmatrix.sigterm');
const runnerGlobals = globalThis as { [SIGTERM_HANDLED]?: boolean };
if (RUNNER && !runnerGlobals[SIGTERM_HANDLED]) {
  runnerGlobals[SIGTERM_HANDLED] = true;
  process.once('SIGTERM', () => process.kill(process.pid, 'SIGINT'));
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
    // Playwright's own report beside Allure's: `npx playwright show-report` opens it after a run.
    ['html', { open: 'never', outputFolder: output.playwrightReport }],
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
    // Traces record typed values and DOM snapshots of filled fields: off unless asked for
    // (--trace), and global setup allows them only against the lab's throwaway accounts or with
    // ALLOW_TRACES=1; failures carry redacted evidence instead.
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
              // The lab stops with this runner even when the runner is killed outright.
              LAB_PARENT_PID: String(process.pid),
            },
          },
        ]
      : [],
});
