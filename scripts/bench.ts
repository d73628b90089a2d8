/**
 * `npm run bench`: how fast the matrix runs, against the fastest possible. In one run it measures
 * the lab's start time; the suite's per-journey time, item by item, against the same login as a
 * bare Playwright test and scripted minimally (a plain Playwright script: new context, fill,
 * click, wait; directly and through the delayed edge-west path); a protocol-only login (HTTP, no
 * browser); the pairwise tier on two workers, phase by phase (reporters/phase-reporter.ts),
 * against its ideal; the full tier's projection onto shards; and peak memory. Writes
 * bench/results.{md,json} and bench/phases.svg.
 *
 * BENCH_JOURNEYS sets how many logins each of the three per-journey measures makes (default 15).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { launchOptionsFor, resolveBrowser } from '../browsers/browser.ts';
import { LabAdminClient } from '../targets/lab-admin.ts';
import { protocolLogin } from '../clients/protocol-login.ts';
import { generateAccount } from '../accounts/accounts.ts';
import { CodeReader } from '../accounts/codes.ts';
import { FEDERATED_ACCOUNT_SPEC, MINIMAL_ACCOUNT_SPEC, signInFederatedMinimally, signInMinimally } from '../bench/minimal-login.ts';
import { startLabProcess } from './processes.ts';
import { Progress } from './progress.ts';
import { JOURNEY_PHASES, PHASES, type Phase, type PhaseReport, type PhaseTest } from '../reporters/phase-reporter.ts';
import { cellsFor, SEED_CASE, type Cell } from '../matrix/cells.ts';
import { profileNamed } from '../matrix/profiles.ts';
import { chooseEngine, engineProjectName } from '../browsers/engines.ts';
import { fixedCostMs, idealWallMs, phaseChartSvg, projectShards, shardsFor } from '../bench/analysis.ts';
import { cellCostModel } from '../matrix/cost.ts';

const LAB_PORT = Number(process.env.BENCH_LAB_PORT ?? 4790);
const TOKEN = randomBytes(24).toString('base64url');
const JOURNEYS = Number(process.env.BENCH_JOURNEYS ?? 15);
/** The per-journey measures take turns this many times (see main). */
const ROUNDS = 3;
const TARGETS = { suiteOverMinimal: 1.2, pairwiseOverIdeal: 2, labReadyMs: 2000 };
/**
 * A nightly job's budget for its tests: the fewest shards whose slowest job fits it is the nightly's
 * shard count (.github/workflows/nightly.yml). Three minutes keeps a red job quick to re-run, and a
 * job's set-up (npm ci, browser install, about two minutes) from outweighing its tests.
 */
const NIGHTLY_JOB_SECONDS = 180;
const SUITE_PHASES = 'reports/bench-suite-phases.json';
const BARE_PHASES = 'reports/bench-bare-phases.json';
const PAIRWISE_PHASES = 'reports/bench-pairwise-phases.json';
const SUITE_CELLS = 'reports/bench-suite-cells.json';
const FEDERATED_PHASES = 'reports/bench-federated-phases.json';
const FEDERATED_CELLS = 'reports/bench-federated-cells.json';
/** The suite's per-journey cell: the seed case's profile and conditions, the minimal login's account type. */
const BENCH_CELL: Cell = { ...SEED_CASE, ...MINIMAL_ACCOUNT_SPEC };
/** The federated per-journey cell: the same profile and conditions, signing in with "Continue with Microsoft". */
const FEDERATED_BENCH_CELL: Cell = { ...SEED_CASE, ...FEDERATED_ACCOUNT_SPEC };

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const median = (values: number[]) => quantile(values, 0.5);

const progress = new Progress('bench');

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

/** The minimal login's time, whole and item by item. */
interface MinimalTimes {
  totalMs: number;
  accountMs: number;
  contextMs: number;
  journeyMs: number;
  /** From the page opened to the email screen, its address typed: what a stale login's abandoned attempt costs. */
  toEmailScreenMs: number;
  closeMs: number;
}

/** The login with nothing around it: a new context, fill, click, wait; through `proxy` when given. */
async function minimalLogin(
  browser: Browser,
  admin: LabAdminClient,
  app: string,
  proxy?: string,
  federated = false,
): Promise<MinimalTimes> {
  // Timed from the account's creation, as the suite's test is: both need a fresh account.
  const started = performance.now();
  const account = generateAccount(federated ? FEDERATED_ACCOUNT_SPEC : MINIMAL_ACCOUNT_SPEC);
  await admin.createAccount(account);
  const created = performance.now();
  const context = await browser.newContext(proxy ? { proxy: { server: proxy } } : {});
  const page = await context.newPage();
  const opened = performance.now();
  let atEmailScreen = opened;
  if (federated) await signInFederatedMinimally(page, account, app);
  else await signInMinimally(page, account, app, () => (atEmailScreen = performance.now()));
  const signedIn = performance.now();
  await context.close();
  const closed = performance.now();
  return {
    totalMs: closed - started,
    accountMs: created - started,
    contextMs: opened - created,
    journeyMs: signedIn - opened,
    toEmailScreenMs: atEmailScreen - opened,
    closeMs: closed - signedIn,
  };
}

const readPhases = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as PhaseReport;

/** Per-journey median of a phase group over warm journeys. */
function phaseMedian(journeys: readonly PhaseTest[], phases: readonly Phase[]): number {
  return median(journeys.map((test) => phases.reduce((sum, phase) => sum + (test.phases[phase] ?? 0), 0)));
}

/** A run's journeys, the first (worker start, browser launch) left out, as the script's warm-up login is. */
const warmJourneys = (report: PhaseReport) => report.tests.slice(1);

/** Median and 95th percentile. */
const spread = (values: number[]) => ({ median: median(values), p95: quantile(values, 0.95) });

/** The items of one login, as the script times them and as the phases of a Playwright test split them. */
const ITEMS: { item: string; minimal: (times: MinimalTimes) => number; phases: readonly Phase[] }[] = [
  {
    item: 'account (lab admin API) and suite fixtures',
    minimal: (times) => times.accountMs,
    phases: ['suite fixtures: account, conditions, evidence'],
  },
  { item: 'context and page', minimal: (times) => times.contextMs, phases: ['context and page'] },
  { item: 'the journey: screens, redirect, exchange, signed-in app', minimal: (times) => times.journeyMs, phases: JOURNEY_PHASES },
  {
    item: 'test body outside the journey (in the bare test: the account and the journey)',
    minimal: () => 0,
    phases: ['test body: cookies, clock, check'],
  },
  { item: 'teardown: evidence, context close', minimal: (times) => times.closeMs, phases: ['teardown'] },
];

/**
 * Runs Playwright Test. With `sampleMemory`, the run's peak memory is sampled four times a second
 * while it lasts: each sample runs `ps`, CPU the runs timed journey by journey (and the script
 * they are held against) must not share.
 */
async function runPlaywright(
  what: string,
  args: string[],
  extra: Record<string, string>,
  sampleMemory = false,
): Promise<{ seconds: number; peakMiB: number; code: number | null }> {
  let peakMiB = 0;
  let sampler: NodeJS.Timeout | undefined;
  const run = await progress.suite(what, args, env(extra), {
    output: 'inherit',
    // The sampler stops with the run.
    ...(sampleMemory
      ? { onSpawn: (child) => (sampler = setInterval(() => (peakMiB = Math.max(peakMiB, treeRssMiB(child.pid ?? 0))), 250)) }
      : {}),
  });
  clearInterval(sampler);
  return { seconds: run.ms / 1000, peakMiB, code: run.status };
}

const ms = (value: number) => `${Math.round(value)} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;

/** What one bench run measures: the lab's starts, the journeys of each kind, the pairwise run. */
interface Measurements {
  starts: number[];
  suite: PhaseTest[];
  bare: PhaseTest[];
  minimal: MinimalTimes[];
  /** The federated journey ("Continue with Microsoft"): the suite's and the minimal script's. */
  federatedSuite: PhaseTest[];
  federatedMinimal: MinimalTimes[];
  minimalEdgeWest: MinimalTimes[];
  minimalConcurrent: number[];
  protocol: number[];
  pairwiseRun: { seconds: number; peakMiB: number; code: number | null };
  pairwise: PhaseReport;
  labRssMiB: number;
}

/** Runs every measure against one lab of its own, the per-journey ones taking turns. */
async function measure(): Promise<Measurements> {
  const starts: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const lab = await startLabProcess(env());
    starts.push(lab.readyMs);
    progress.say(`lab start ${i + 1}/3: ready in ${ms(lab.readyMs)}`);
    await lab.stop();
  }
  const lab = await startLabProcess(env());
  progress.say(`its lab on port ${LAB_PORT}; ${JOURNEYS} journeys per measure in ${ROUNDS} rounds`);
  const admin = new LabAdminClient(`http://127.0.0.1:${LAB_PORT}/__lab`, TOKEN);
  const description = await admin.describe();
  let suite: PhaseTest[], bare: PhaseTest[], pairwise: PhaseReport;
  let pairwiseRun: { seconds: number; peakMiB: number; code: number | null };
  const minimal: MinimalTimes[] = [];
  const federatedSuite: PhaseTest[] = [];
  const federatedMinimal: MinimalTimes[] = [];
  const minimalEdgeWest: MinimalTimes[] = [];
  const minimalConcurrent: number[] = [];
  const protocol: number[] = [];
  let labRssMiB: number;
  try {
    const launchOptions = launchOptionsFor(resolveBrowser({ browserExecutable: process.env.BROWSER_EXECUTABLE }));
    const browser = await chromium.launch(launchOptions);
    const login = (on: Browser, proxy?: string) => minimalLogin(on, admin, description.urls.app, proxy);
    const edgeWest = description.urls.entryPoints['edge-west'];
    const federatedLogin = (on: Browser) => minimalLogin(on, admin, description.urls.app, undefined, true);
    // The first login of each kind warms the browser up and is dropped, as the runs' first journeys are.
    await login(browser);
    await federatedLogin(browser);
    /** `count` plain-script logins (`one(i)`), with a line whenever the bench has been quiet a while. */
    const logins = async <T>(what: string, count: number, one: () => Promise<T>): Promise<T[]> => {
      const out: T[] = [];
      await progress.during(
        what,
        (async () => {
          for (let i = 0; i < count; i += 1) out.push(await one());
        })(),
        () => `${out.length}/${count} logins`,
      );
      progress.say(`${what}: ${count} logins done`);
      return out;
    };

    // The suite, the bare Playwright test and the plain script take turns, a share of the journeys
    // each per round: a machine whose speed drifts over the minutes (a shared runner's neighbours)
    // moves all three alike, not the one that happened to run then.
    // The suite: the seed login's account type (windows-chrome, gmail/bound/plus/totp) as a listed
    // cell, a round's share + 1 times in one worker and its browser, as a run's cells share them
    // (--repeat-each would start a worker and a browser for every repeat).
    mkdirSync(path.dirname(SUITE_CELLS), { recursive: true });
    const perRound = Math.ceil(JOURNEYS / ROUNDS);
    writeFileSync(SUITE_CELLS, JSON.stringify(Array.from({ length: perRound + 1 }, (_, n) => ({ label: `bench-${n}`, cell: BENCH_CELL }))));
    writeFileSync(
      FEDERATED_CELLS,
      JSON.stringify(Array.from({ length: perRound + 1 }, (_, n) => ({ label: `bench-federated-${n}`, cell: FEDERATED_BENCH_CELL }))),
    );
    suite = [];
    bare = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const turn = `round ${round + 1}/${ROUNDS}`;
      progress.say(`${turn}: the suite's journey, ${perRound + 1} times in one worker`);
      const suiteRun = await runPlaywright(`${turn}: suite`, ['tests/matrix.spec.ts', '--workers', '1', '--retries', '0'], {
        AUTHMATRIX_PHASES: SUITE_PHASES,
        MATRIX_CELLS: SUITE_CELLS,
      });
      const suiteRound = readPhases(SUITE_PHASES);
      if (suiteRun.code !== 0 || suiteRound.tests.length < 2)
        throw new Error(`the suite's benchmark run failed (exit ${suiteRun.code}, ${suiteRound.tests.length} journeys)`);
      suite.push(...warmJourneys(suiteRound));

      // The same minimal login as a bare Playwright test: the floor of any Playwright Test suite.
      progress.say(`${turn}: the bare Playwright test, ${perRound + 1} logins`);
      const bareRun = await runPlaywright(`${turn}: bare test`, ['--config', 'bench/bare.config.ts', '--workers', '1'], {
        BENCH_LOGINS: String(perRound + 1),
        BENCH_LAB_ADMIN_URL: `http://127.0.0.1:${LAB_PORT}/__lab`,
        BENCH_LAB_APP_URL: description.urls.app,
        AUTHMATRIX_PHASES: BARE_PHASES,
      });
      const bareRound = readPhases(BARE_PHASES);
      if (bareRun.code !== 0 || bareRound.tests.length < 2) throw new Error(`the bare Playwright Test login failed (exit ${bareRun.code})`);
      bare.push(...warmJourneys(bareRound));

      minimal.push(...(await logins(`${turn}: plain script`, perRound, () => login(browser))));

      // The federated journey, the suite's and the plain script's, in the same turns.
      progress.say(`${turn}: the suite's federated journey, ${perRound + 1} times in one worker`);
      const federatedRun = await runPlaywright(`${turn}: suite, federated`, ['tests/matrix.spec.ts', '--workers', '1', '--retries', '0'], {
        AUTHMATRIX_PHASES: FEDERATED_PHASES,
        MATRIX_CELLS: FEDERATED_CELLS,
      });
      const federatedRound = readPhases(FEDERATED_PHASES);
      if (federatedRun.code !== 0 || federatedRound.tests.length < 2)
        throw new Error(`the suite's federated benchmark run failed (exit ${federatedRun.code}, ${federatedRound.tests.length} journeys)`);
      federatedSuite.push(...warmJourneys(federatedRound));
      federatedMinimal.push(...(await logins(`${turn}: plain script, federated`, perRound, () => federatedLogin(browser))));
    }
    await login(browser, edgeWest);
    minimalEdgeWest.push(...(await logins('plain script through edge-west', JOURNEYS, () => login(browser, edgeWest))));
    // Two at once, each in its own browser as two workers' are: what one journey costs when the
    // run's workers share the machine's cores.
    const second = await chromium.launch(launchOptions);
    const twoAtOnce = () => Promise.all([login(browser), login(second)]);
    await twoAtOnce();
    const pairs = await logins('plain script, two at once in two browsers', Math.ceil(JOURNEYS / 2), twoAtOnce);
    minimalConcurrent.push(...pairs.flat().map((times) => times.totalMs));
    await second.close();
    await browser.close();

    const codes = new CodeReader({ email: admin, sms: admin });
    const protocolOnce = async () => {
      const account = generateAccount({ emailProvider: 'gmail', phone: 'none', plan: 'free', mfa: 'none', method: 'password' });
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
      return performance.now() - started;
    };
    protocol.push(...(await logins('protocol-only login', JOURNEYS, protocolOnce)));

    progress.say('the pairwise tier on two workers, memory sampled');
    pairwiseRun = await runPlaywright(
      'pairwise tier',
      ['tests/matrix.spec.ts', '--workers', '2', '--retries', '0'],
      { MATRIX: 'pairwise', AUTHMATRIX_PHASES: PAIRWISE_PHASES },
      true,
    );
    pairwise = readPhases(PAIRWISE_PHASES);
    progress.say(`pairwise tier: ${pairwise.tests.length} cells in ${pairwiseRun.seconds.toFixed(1)} s (exit ${pairwiseRun.code})`);
    labRssMiB = treeRssMiB(lab.child.pid ?? 0);
  } finally {
    await lab.stop();
  }
  return {
    starts,
    suite,
    bare,
    minimal,
    federatedSuite,
    federatedMinimal,
    minimalEdgeWest,
    minimalConcurrent,
    protocol,
    pairwiseRun,
    pairwise,
    labRssMiB,
  };
}

/** The figures and their ratios against the targets, from the measurements alone. */
function compute(measured: Measurements) {
  const { starts, suite, bare, minimal, minimalEdgeWest, minimalConcurrent, protocol, pairwiseRun, pairwise, labRssMiB } = measured;
  // Per journey, item by item: the plain script, the bare Playwright test, the suite.
  const journeyMs = (journeys: readonly PhaseTest[]) => spread(journeys.map((test) => test.durationMs));
  const suiteJourneyMs = journeyMs(suite);
  const bareTestJourneyMs = journeyMs(bare);
  const minimalJourneyMs = spread(minimal.map((times) => times.totalMs));
  const [suiteMedian, bareMedian, minimalMedian] = [suiteJourneyMs.median, bareTestJourneyMs.median, minimalJourneyMs.median];
  const items = ITEMS.map(({ item, minimal: pick, phases }) => ({
    item,
    minimal: median(minimal.map(pick)),
    bare: phaseMedian(bare, phases),
    suite: phaseMedian(suite, phases),
  }));

  // The pairwise tier against its ideal: every cell at the minimal script's speed, modelled latency counted in.
  const floor = {
    minimalMs: minimalMedian,
    minimalEdgeWestMs: median(minimalEdgeWest.map((times) => times.totalMs)),
    toEmailScreenMs: median(minimal.map((times) => times.toEmailScreenMs)),
    toEmailScreenEdgeWestMs: median(minimalEdgeWest.map((times) => times.toEmailScreenMs)),
  };
  const pairwiseCells = pairwise.tests.flatMap((test) => (test.cell ? [test.cell] : []));
  const idealMs = idealWallMs(pairwiseCells, floor, pairwise.workers);
  const pairwiseMs = pairwiseRun.seconds * 1000;
  // The same ideal with each journey at its speed two at a time: the floor of this machine's cores.
  const concurrentMedian = median(minimalConcurrent);
  const concurrentFloorMs = idealMs * (concurrentMedian / minimalMedian);

  // The full tier: one machine, and each nightly engine job on N shards, from the pairwise run's per-cell times.
  const cost = cellCostModel(pairwise.tests);
  const fullCells = cellsFor('full', [], true, {});
  const fixedMs = fixedCostMs(pairwise);
  const everyEngine = { msedge: true, firefox: true, webkit: true };
  const jobOf = (profile: string) => {
    const project = engineProjectName(chooseEngine(profileNamed(profile), everyEngine));
    return project === 'msedge' ? 'chromium' : project;
  };
  const jobs = ['chromium', 'firefox', 'webkit'].map((job) => {
    const cells = fullCells.filter((cell) => jobOf(cell.profile) === job);
    return { job, cells: cells.length, projection: projectShards(cells, cost, pairwise.workers, fixedMs) };
  });
  const oneMachine = projectShards(fullCells, cost, pairwise.workers, fixedMs, 1)[0]?.seconds ?? NaN;
  const slowestJob = jobs.reduce((a, b) => ((a.projection[0]?.seconds ?? 0) >= (b.projection[0]?.seconds ?? 0) ? a : b));
  const nightlyShards = shardsFor(slowestJob.projection, NIGHTLY_JOB_SECONDS);

  const federatedSuiteJourneyMs = journeyMs(measured.federatedSuite);
  const federatedMinimalJourneyMs = spread(measured.federatedMinimal.map((times) => times.totalMs));
  const ratios = {
    suiteOverMinimal: suiteMedian / minimalMedian,
    federatedSuiteOverMinimal: federatedSuiteJourneyMs.median / federatedMinimalJourneyMs.median,
    suiteOverBareTest: suiteMedian / bareMedian,
    bareTestOverMinimal: bareMedian / minimalMedian,
    suiteOverProtocol: suiteMedian / median(protocol),
    pairwiseOverIdeal: pairwiseMs / idealMs,
    pairwiseOverConcurrentFloor: pairwiseMs / concurrentFloorMs,
  };
  const met = {
    suiteOverMinimal: ratios.suiteOverMinimal <= TARGETS.suiteOverMinimal,
    // A federated journey is held to the password journey's ratio, or the target, whichever is looser.
    federatedSuiteOverMinimal: ratios.federatedSuiteOverMinimal <= Math.max(TARGETS.suiteOverMinimal, ratios.suiteOverMinimal),
    pairwiseOverIdeal: ratios.pairwiseOverIdeal <= TARGETS.pairwiseOverIdeal,
    labReadyMs: median(starts) <= TARGETS.labReadyMs,
  };
  const result = {
    machine: { cpus: cpus().length, node: process.version },
    journeys: JOURNEYS,
    labReadyMs: { median: median(starts), runs: starts.map(Math.round) },
    suiteJourneyMs,
    minimalJourneyMs,
    federatedSuiteJourneyMs,
    federatedMinimalJourneyMs,
    minimalEdgeWestJourneyMs: { median: floor.minimalEdgeWestMs },
    toEmailScreenMs: { direct: Math.round(floor.toEmailScreenMs), edgeWest: Math.round(floor.toEmailScreenEdgeWestMs) },
    minimalTwoAtOnceJourneyMs: spread(minimalConcurrent),
    bareTestJourneyMs,
    protocolJourneyMs: spread(protocol),
    items: items.map((row) => ({ ...row, minimal: Math.round(row.minimal), bare: Math.round(row.bare), suite: Math.round(row.suite) })),
    pairwise: {
      seconds: pairwiseRun.seconds,
      exit: pairwiseRun.code,
      cells: pairwiseCells.length,
      workers: pairwise.workers,
      idealSeconds: idealMs / 1000,
      twoAtOnceFloorSeconds: concurrentFloorMs / 1000,
      phasesMs: Object.fromEntries(PHASES.map((phase) => [phase, Math.round(pairwise.phases[phase])])),
    },
    full: {
      cells: fullCells.length,
      oneMachineSeconds: oneMachine,
      jobs: jobs.map((job) => ({ job: job.job, cells: job.cells, projection: job.projection })),
      nightlyJobBudgetSeconds: NIGHTLY_JOB_SECONDS,
      nightlyShards,
    },
    peakMemoryMiB: { pairwiseRun: Math.round(pairwiseRun.peakMiB), lab: Math.round(labRssMiB) },
    ratios,
    targets: TARGETS,
    met,
  };
  return {
    result,
    items,
    floor,
    pairwiseCells,
    idealMs,
    pairwiseMs,
    concurrentMedian,
    concurrentFloorMs,
    fullCells,
    fixedMs,
    jobs,
    oneMachine,
    slowestJob,
    nightlyShards,
    suiteMedian,
    bareMedian,
    minimalMedian,
  };
}

/** bench/results.md: the targets, the journeys item by item, the pairwise tier's phases, the full tier on shards, memory. */
function render(measured: Measurements, computed: ReturnType<typeof compute>): string {
  const { starts, pairwise, pairwiseRun } = measured;
  const { ratios, met } = computed.result;
  const verdict = (ok: boolean) => (ok ? 'yes' : '**no**');
  const table = (head: string[], rows: string[][]) =>
    [
      `| ${head.join(' | ')} |`,
      `| ${head.map((_, i) => (i === 0 ? '---' : '--:')).join(' | ')} |`,
      ...rows.map((row) => `| ${row.join(' | ')} |`),
    ].join('\n');
  const slotTotal = pairwise.workers * pairwise.wallMs;
  const markdown = [
    '# authmatrix benchmark',
    '',
    `${JOURNEYS} logins per journey measure, in ${ROUNDS} rounds that take turns (browser: gmail/bound/plus/totp on windows-chrome; protocol: gmail/none/free/none with an email code), ${computed.result.machine.cpus} cores, Node ${process.version}.`,
    '',
    '## Targets',
    '',
    '| measure | value | target | met |',
    '| --- | --: | --: | :-: |',
    `| lab ready (median of 3 starts) | ${ms(median(starts))} | ≤ ${TARGETS.labReadyMs} ms | ${verdict(met.labReadyMs)} |`,
    `| suite journey / minimal script | ${ratios.suiteOverMinimal.toFixed(2)} (${ms(computed.suiteMedian)} / ${ms(computed.minimalMedian)}) | ≤ ${TARGETS.suiteOverMinimal} | ${verdict(met.suiteOverMinimal)} |`,
    `| federated journey ("Continue with Microsoft") / its minimal script | ${ratios.federatedSuiteOverMinimal.toFixed(2)} (${ms(computed.result.federatedSuiteJourneyMs.median)} / ${ms(computed.result.federatedMinimalJourneyMs.median)}) | ≤ the password journey's (${Math.max(TARGETS.suiteOverMinimal, ratios.suiteOverMinimal).toFixed(2)}) | ${verdict(met.federatedSuiteOverMinimal)} |`,
    `| pairwise tier / its ideal | ${ratios.pairwiseOverIdeal.toFixed(2)} (${seconds(computed.pairwiseMs)} / ${seconds(computed.idealMs)}) | ≤ ${TARGETS.pairwiseOverIdeal} | ${verdict(met.pairwiseOverIdeal)} |`,
    '',
    '## Per journey',
    '',
    '| measure | median | p95 |',
    '| --- | --: | --: |',
    `| suite journey | ${ms(computed.suiteMedian)} | ${ms(computed.result.suiteJourneyMs.p95)} |`,
    `| minimal login as a bare Playwright test | ${ms(computed.bareMedian)} | ${ms(computed.result.bareTestJourneyMs.p95)} |`,
    `| minimal script | ${ms(computed.minimalMedian)} | ${ms(computed.result.minimalJourneyMs.p95)} |`,
    `| minimal script through edge-west (200 ms a request, by design) | ${ms(computed.floor.minimalEdgeWestMs)} | |`,
    `| minimal script, two at once in two browsers | ${ms(computed.concurrentMedian)} | ${ms(computed.result.minimalTwoAtOnceJourneyMs.p95)} |`,
    `| protocol-only login (no browser) | ${ms(computed.result.protocolJourneyMs.median)} | ${ms(computed.result.protocolJourneyMs.p95)} |`,
    '',
    `Suite / bare Playwright test: ${ratios.suiteOverBareTest.toFixed(2)} (what the suite adds); bare test / script: ${ratios.bareTestOverMinimal.toFixed(2)} (what Playwright Test adds); suite / protocol: ${ratios.suiteOverProtocol.toFixed(2)}.`,
    '',
    `Item by item (medians per journey; the three measures take turns in ${ROUNDS} rounds, and the first journey of each run, which starts the worker and the browser, is left out):`,
    '',
    table(
      ['item', 'minimal script', 'bare Playwright test', 'suite'],
      computed.items.map((row) => [row.item, ms(row.minimal), ms(row.bare), ms(row.suite)]),
    ),
    '',
    `## Pairwise tier: where the time goes`,
    '',
    `${computed.pairwiseCells.length} cells on ${pairwise.workers} workers: ${seconds(computed.pairwiseMs)} wall (exit ${pairwiseRun.code}); ideal ${seconds(computed.idealMs)} — each cell at the minimal script's ${ms(computed.minimalMedian)}, ${ms(computed.floor.minimalEdgeWestMs)} on edge-west, twice for cookies cleared mid-flow, and for a stale login with the attempt it abandoned at the email screen (the script's first ${ms(computed.floor.toEmailScreenMs)}, ${ms(computed.floor.toEmailScreenEdgeWestMs)} on edge-west), packed on ${pairwise.workers} workers without a gap. With each journey at the script's speed two at a time (${ms(computed.concurrentMedian)}: the machine's cores shared as the workers share them), the floor is ${seconds(computed.concurrentFloorMs)}, and the run is ${ratios.pairwiseOverConcurrentFloor.toFixed(2)}× that. Worker-seconds by phase (they add up to workers × wall, ${seconds(slotTotal)}):`,
    '',
    table(
      ['phase', 'worker-seconds', 'share', 'per cell'],
      PHASES.filter((phase) => pairwise.phases[phase] > 0).map((phase) => [
        phase,
        seconds(pairwise.phases[phase]),
        `${((100 * pairwise.phases[phase]) / slotTotal).toFixed(1)}%`,
        ms(pairwise.phases[phase] / Math.max(1, computed.pairwiseCells.length)),
      ]),
    ),
    '',
    '![worker-seconds by phase](phases.svg)',
    '',
    '## The full tier on shards',
    '',
    `${computed.fullCells.length} cells. Projected from the pairwise run's per-cell times (by network path and cookie condition) and its fixed cost per job (${seconds(computed.fixedMs)}: start, worker start, end), ${pairwise.workers} workers a job: ${computed.oneMachine.toFixed(0)} s on one machine. Each nightly engine job (its share of the cells) on N shards:`,
    '',
    table(
      ['job', 'cells', ...(computed.jobs[0]?.projection ?? []).map((entry) => `${entry.shards} shard${entry.shards > 1 ? 's' : ''}`)],
      computed.jobs.map((job) => [job.job, String(job.cells), ...job.projection.map((entry) => `${entry.seconds.toFixed(0)} s`)]),
    ),
    '',
    `The fewest shards that keep the slowest job (${computed.slowestJob.job}) within ${NIGHTLY_JOB_SECONDS} s: **${computed.nightlyShards}**.`,
    '',
    '## Memory',
    '',
    `Peak of the pairwise run (runner, workers, browsers): ${computed.result.peakMemoryMiB.pairwiseRun} MiB; the lab after the run: ${computed.result.peakMemoryMiB.lab} MiB.`,
    '',
  ].join('\n');
  return markdown;
}

/** Writes bench/results.{json,md} and bench/phases.svg, and prints the table. */
function write(measured: Measurements, computed: ReturnType<typeof compute>, markdown: string): void {
  const { pairwise } = measured;
  const { result, pairwiseCells } = computed;
  mkdirSync('bench', { recursive: true });
  writeFileSync('bench/results.json', `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(
    'bench/phases.svg',
    phaseChartSvg(pairwise, `Pairwise tier, ${pairwiseCells.length} cells on ${pairwise.workers} workers: worker-seconds by phase`),
  );
  writeFileSync('bench/results.md', markdown);
  process.stdout.write(`${markdown}\n`);
}

async function main(): Promise<void> {
  const measured = await measure();
  progress.say('measured; computing and writing bench/results.md');
  const computed = compute(measured);
  write(measured, computed, render(measured, computed));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
