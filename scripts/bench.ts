/**
 * `npm run bench`: how fast the matrix runs, against the fastest possible. In one run it measures
 * the lab's start time; the suite's per-journey time; the same login scripted minimally (a plain
 * Playwright script: new context, fill, click, wait); a protocol-only login (HTTP, no browser);
 * the pairwise tier's wall time on two workers; and peak memory. Writes bench/results.{md,json}.
 *
 * BENCH_JOURNEYS sets how many logins each of the three per-journey measures makes (default 15).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';
import { resolveBrowser } from '../browsers/browser.ts';
import { LabAdminClient } from '../targets/lab-admin.ts';
import { protocolLogin } from '../clients/protocol-login.ts';
import { generateAccount } from '../accounts/accounts.ts';
import { CodeReader } from '../accounts/codes.ts';
import { signInMinimally } from '../bench/minimal-login.ts';
import { runSuite, startLabProcess } from './processes.ts';

const LAB_PORT = Number(process.env.BENCH_LAB_PORT ?? 4790);
const TOKEN = randomBytes(24).toString('base64url');
const JOURNEYS = Number(process.env.BENCH_JOURNEYS ?? 15);
const TARGETS = { suiteOverMinimal: 1.25, pairwiseSeconds: 90, labReadyMs: 2000 };

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const median = (values: number[]) => quantile(values, 0.5);

// The bench reuses its own lab: CI would make Playwright start another on the same port.
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  CI: undefined,
  LAB_PORT: String(LAB_PORT),
  LAB_ADMIN_TOKEN: TOKEN,
  LAB_QUIET: '1',
  ...extra,
});

/** Resident memory of a process and its descendants, in MiB (Linux /proc; 0 elsewhere). */
function treeRssMiB(rootPid: number): number {
  try {
    const table = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number) as [number, number, number]);
    const pids = new Set([rootPid]);
    for (let grew = true; grew;) {
      grew = false;
      for (const [pid, ppid] of table) {
        if (pids.has(ppid) && !pids.has(pid)) {
          pids.add(pid);
          grew = true;
        }
      }
    }
    return table.filter(([pid]) => pids.has(pid)).reduce((sum, [, , rss]) => sum + rss, 0) / 1024;
  } catch {
    return 0;
  }
}

/** The login with nothing around it: a new context, fill, click, wait. */
async function minimalLogin(browser: Browser, admin: LabAdminClient, app: string): Promise<number> {
  // Timed from the account's creation, as the suite's test is: both need a fresh account.
  const started = performance.now();
  const account = generateAccount({ emailProvider: 'gmail', phone: 'bound', plan: 'plus', mfa: 'totp' });
  await admin.createAccount(account);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInMinimally(page, account, app);
  await context.close();
  return performance.now() - started;
}

async function runPlaywright(
  args: string[],
  extra: Record<string, string>,
): Promise<{ seconds: number; peakMiB: number; code: number | null }> {
  let peakMiB = 0;
  let sampler: NodeJS.Timeout | undefined;
  const run = await runSuite(args, env(extra), {
    output: 'inherit',
    // Memory is sampled while the run lasts; the sampler stops with it.
    onSpawn: (child) => (sampler = setInterval(() => (peakMiB = Math.max(peakMiB, treeRssMiB(child.pid ?? 0))), 250)),
  });
  clearInterval(sampler);
  return { seconds: run.ms / 1000, peakMiB, code: run.status };
}

interface BareReport {
  suites: BareSuite[];
}
interface BareSuite {
  specs?: { tests: { results: { duration: number; status: string }[] }[] }[];
  suites?: BareSuite[];
}

/** Durations of the passed bare-login tests, in run order. */
function bareResults(report: BareReport): number[] {
  const walk = (suite: BareSuite): number[] => [
    ...(suite.specs ?? []).flatMap((spec) =>
      spec.tests.flatMap((test) => test.results.filter((result) => result.status === 'passed').map((result) => result.duration)),
    ),
    ...(suite.suites ?? []).flatMap(walk),
  ];
  return report.suites.flatMap(walk);
}

async function main(): Promise<void> {
  const starts: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const lab = await startLabProcess(env());
    starts.push(lab.readyMs);
    await lab.stop();
  }
  const lab = await startLabProcess(env());
  const admin = new LabAdminClient(`http://127.0.0.1:${LAB_PORT}/__lab`, TOKEN);
  const description = await admin.describe();
  const result: Record<string, unknown> = {};
  try {
    // The suite: its fresh-account journey (windows-chrome, gmail/bound/plus/totp), repeated on one worker.
    const suiteRun = await runPlaywright(
      ['tests/login.spec.ts', '--repeat-each', String(JOURNEYS + 1), '--workers', '1', '--retries', '0'],
      {},
    );
    const summary = JSON.parse(readFileSync('reports/matrix-summary.json', 'utf8')) as { others: { durationMs: number; status: string }[] };
    // The first journey pays for the worker's start and browser launch; the minimal script's first is dropped alike.
    const suiteDurations = summary.others.slice(1).map((test) => test.durationMs);
    if (suiteRun.code !== 0 || suiteDurations.length === 0)
      throw new Error(`the suite's benchmark run failed (exit ${suiteRun.code}, ${suiteDurations.length} journeys)`);

    // The same minimal login as a bare Playwright test: the floor of any Playwright Test suite.
    const bareRun = await runPlaywright(['--config', 'bench/bare.config.ts', '--repeat-each', String(JOURNEYS + 1), '--workers', '1'], {
      BENCH_LAB_ADMIN_URL: `http://127.0.0.1:${LAB_PORT}/__lab`,
      BENCH_LAB_APP_URL: description.urls.app,
    });
    const bareDurations = bareResults(JSON.parse(readFileSync('reports/bench-bare.json', 'utf8')) as BareReport).slice(1);
    if (bareRun.code !== 0 || bareDurations.length === 0)
      throw new Error(`the bare Playwright Test login failed (exit ${bareRun.code}); see reports/bench-bare.json`);

    const choice = resolveBrowser({ browserExecutable: process.env.BROWSER_EXECUTABLE });
    const browser = await chromium.launch(choice.kind === 'system' ? { executablePath: choice.executablePath, args: choice.args } : {});
    const minimal: number[] = [];
    await minimalLogin(browser, admin, description.urls.app);
    for (let i = 0; i < JOURNEYS; i += 1) minimal.push(await minimalLogin(browser, admin, description.urls.app));
    await browser.close();

    const protocol: number[] = [];
    const codes = new CodeReader({ email: admin, sms: admin });
    for (let i = 0; i < JOURNEYS; i += 1) {
      const account = generateAccount({ emailProvider: 'gmail', phone: 'none', plan: 'free', mfa: 'none' });
      await admin.createAccount(account);
      const started = performance.now();
      const login = await protocolLogin({
        issuer: description.urls.issuer,
        client: description.clients.web,
        email: account.email,
        password: account.password,
        code: () => codes.codeFor(account, 'email'),
      });
      if (!login.ok) throw new Error(`protocol login failed: ${login.message}`);
      protocol.push(performance.now() - started);
    }

    const pairwise = await runPlaywright(['tests/matrix.spec.ts', '--workers', '2', '--retries', '0'], { MATRIX: 'pairwise' });
    const labRssMiB = treeRssMiB(lab.child.pid ?? 0);

    Object.assign(result, {
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      journeys: JOURNEYS,
      labReadyMs: { median: median(starts), runs: starts.map(Math.round) },
      suiteJourneyMs: { median: median(suiteDurations), p95: quantile(suiteDurations, 0.95) },
      minimalJourneyMs: { median: median(minimal), p95: quantile(minimal, 0.95) },
      bareTestJourneyMs: { median: median(bareDurations), p95: quantile(bareDurations, 0.95) },
      protocolJourneyMs: { median: median(protocol), p95: quantile(protocol, 0.95) },
      pairwise: { seconds: pairwise.seconds, exit: pairwise.code, cells: 40 },
      peakMemoryMiB: { pairwiseRun: Math.round(pairwise.peakMiB), lab: Math.round(labRssMiB) },
    });
  } finally {
    await lab.stop();
  }
  const suite = (result.suiteJourneyMs as { median: number }).median;
  const minimalMedian = (result.minimalJourneyMs as { median: number }).median;
  const protocolMedian = (result.protocolJourneyMs as { median: number }).median;
  const bareMedian = (result.bareTestJourneyMs as { median: number }).median;
  const ratios = {
    suiteOverMinimal: suite / minimalMedian,
    suiteOverBareTest: suite / bareMedian,
    bareTestOverMinimal: bareMedian / minimalMedian,
    suiteOverProtocol: suite / protocolMedian,
  };
  const verdicts = {
    suiteOverMinimal: ratios.suiteOverMinimal <= TARGETS.suiteOverMinimal,
    pairwiseSeconds: (result.pairwise as { seconds: number }).seconds <= TARGETS.pairwiseSeconds,
    labReadyMs: (result.labReadyMs as { median: number }).median <= TARGETS.labReadyMs,
  };
  Object.assign(result, { ratios, targets: TARGETS, met: verdicts });
  mkdirSync('bench', { recursive: true });
  writeFileSync('bench/results.json', `${JSON.stringify(result, null, 2)}\n`);
  const ms = (value: number) => `${Math.round(value)} ms`;
  const rows = [
    [
      'lab ready (median of 3 starts)',
      ms((result.labReadyMs as { median: number }).median),
      `≤ ${TARGETS.labReadyMs} ms`,
      verdicts.labReadyMs,
    ],
    ['suite journey, median / p95', `${ms(suite)} / ${ms((result.suiteJourneyMs as { p95: number }).p95)}`, '', ''],
    ['minimal script journey, median / p95', `${ms(minimalMedian)} / ${ms((result.minimalJourneyMs as { p95: number }).p95)}`, '', ''],
    ['protocol-only login, median / p95', `${ms(protocolMedian)} / ${ms((result.protocolJourneyMs as { p95: number }).p95)}`, '', ''],
    [
      'minimal login as a bare Playwright test, median / p95',
      `${ms(bareMedian)} / ${ms((result.bareTestJourneyMs as { p95: number }).p95)}`,
      '',
      '',
    ],
    ['suite / minimal', ratios.suiteOverMinimal.toFixed(2), `≤ ${TARGETS.suiteOverMinimal}`, verdicts.suiteOverMinimal],
    ['suite / bare Playwright test (what the suite adds)', ratios.suiteOverBareTest.toFixed(2), '', ''],
    ['bare Playwright test / minimal (what Playwright Test adds)', ratios.bareTestOverMinimal.toFixed(2), '', ''],
    ['suite / protocol', ratios.suiteOverProtocol.toFixed(2), '', ''],
    [
      'pairwise tier (40 cells), 2 workers',
      `${(result.pairwise as { seconds: number }).seconds.toFixed(1)} s`,
      `≤ ${TARGETS.pairwiseSeconds} s`,
      verdicts.pairwiseSeconds,
    ],
    [
      'peak memory: pairwise run (runner, workers, browsers)',
      `${(result.peakMemoryMiB as { pairwiseRun: number }).pairwiseRun} MiB`,
      '',
      '',
    ],
    ['memory: lab after the run', `${(result.peakMemoryMiB as { lab: number }).lab} MiB`, '', ''],
  ];
  const markdown = [
    '# authmatrix benchmark',
    '',
    `${JOURNEYS} logins per journey measure (browser: gmail/bound/plus/totp on windows-chrome; protocol: gmail/none/free/none with an email code), Node ${process.version}.`,
    '',
    '| measure | value | target | met |',
    '| --- | --: | --: | :-: |',
    ...rows.map(
      ([name, value, target, met]) =>
        `| ${String(name)} | ${String(value)} | ${String(target)} | ${met === '' ? '' : met ? 'yes' : '**no**'} |`,
    ),
    '',
  ].join('\n');
  writeFileSync('bench/results.md', markdown);
  process.stdout.write(`${markdown}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
