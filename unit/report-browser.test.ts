/**
 * The report a login team reads, opened in a browser from disk with every other host blocked:
 * what broke (categories by cause, each with its count), for whom (the cell's axes as labels),
 * why (the evidence card first on a failed test), and the heat map within its frame. The results
 * are those allure-playwright writes for a run with outlook-verify-timeout armed, arranged by the
 * suite's listener as a run arranges them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium, expect, type Browser, type Page } from '@playwright/test';
import type { StepResult, TestResult } from 'allure-js-commons';
import { launchOptionsFor, resolveBrowser } from '../browsers/browser.ts';
import { EVIDENCE_CARD, EVIDENCE_JSON, LAB_LOG_LINES } from '../evidence/attachments.ts';
import { renderEvidenceCard } from '../evidence/evidence-card.ts';
import type { EvidenceReport } from '../evidence/evidence.ts';
import { verdictLine, type Classification } from '../evidence/verdict.ts';
import { accountTypeLabel, EMAIL_PROVIDERS, MFAS, PHONES, PLANS } from '../matrix/axes.ts';
import { cellTitle, type Cell } from '../matrix/cells.ts';
import { arrangeForReaders } from '../reporters/allure-results.ts';
import { VISIBLE_PARAMETERS } from '../reporters/allure-metadata.ts';
import { renderHtml, summarize, withTriage, type CellResult } from '../reporters/matrix-summary.ts';

const REPORT_SCRIPT = path.resolve('scripts/report.ts');
/** Where to keep screenshots of the pages checked (REPORT_SCREENSHOTS), for a person to look at. */
const SCREENSHOTS = process.env.REPORT_SCREENSHOTS;

const UPSTREAM: Classification = {
  category: 'token_exchange_failed',
  cause: 'upstream-email-verification',
  summary: 'the token service waited on an upstream email verification that did not answer in time',
};
const EDGE: Classification = { category: 'token_exchange_failed', cause: 'edge', summary: 'the edge lost the token request' };

const cell = (profile: string, emailProvider: Cell['emailProvider'], network = 'direct'): Cell => ({
  profile,
  emailProvider,
  phone: 'none',
  plan: 'plus',
  mfa: 'none',
  method: 'password',
  cookies: 'fresh',
  clock: 'synced',
  network,
});

const RED: [Cell, Classification][] = [
  [cell('windows-chrome', 'outlook'), UPSTREAM],
  [cell('ios-app', 'outlook'), UPSTREAM],
  [cell('desktop-cli', 'outlook', 'corporate'), UPSTREAM],
  [cell('android-chrome', 'gmail', 'edge-west'), EDGE],
];
const GREEN = [cell('macos-safari', 'gmail'), cell('windows-edge', 'outlook')];

function attachStep(dir: string, name: string, type: string, body: string, extension: string): StepResult {
  const source = `${randomUUID()}-attachment.${extension}`;
  writeFileSync(path.join(dir, source), body);
  return {
    name,
    status: 'passed',
    stage: 'finished',
    statusDetails: {},
    parameters: [],
    steps: [],
    attachments: [{ name, type, source }],
  } as unknown as StepResult;
}

const step = (name: string, steps: StepResult[] = []): StepResult =>
  ({ name, status: 'passed', stage: 'finished', statusDetails: {}, parameters: [], steps, attachments: [] }) as unknown as StepResult;

/** One cell's result as allure-playwright leaves it, arranged by the listener a run gives it, written to `dir`. */
function writeCell(dir: string, axes: Cell, verdict: Classification | undefined, start: number): void {
  const requestId = randomUUID();
  const classification = verdict && { ...verdict, summary: `${verdict.summary} (request_id ${requestId}, node primary)` };
  const steps: StepResult[] = [
    // allure-playwright makes a step of each annotation it does not know.
    step(`authmatrix.cell: ${JSON.stringify(axes)}`),
    step('Sign in', [step('Open the app'), step('Enter the email address'), step('Wait for the app to finish signing in')]),
  ];
  if (classification) {
    const report: EvidenceReport = {
      cell: axes,
      profile: axes.profile,
      engine: 'chromium (native)',
      hops: [],
      exchanges: [
        {
          endpoint: 'http://127.0.0.1:4700/token',
          method: 'POST',
          startedAt: new Date(start + 500).toISOString(),
          status: 503,
          error: 'temporarily_unavailable',
          errorDescription: 'upstream email verification timed out after 300 ms',
          requestId,
          node: 'primary',
          entry: axes.network,
          serverDate: new Date(start + 800).toUTCString(),
          clientTime: new Date(start + 820).toISOString(),
          durationMs: 318,
          codeAgeMs: 82,
        },
      ],
      steps: [{ step: 'Sign in', startedAt: new Date(start).toISOString(), durationMs: 1430 }],
      outcome: { kind: 'error', errorCode: 'token_exchange_failed', requestId },
      classification,
    };
    // Playwright's prompt goes before the fixtures' teardown, which allure-playwright files under "After Hooks".
    steps.push(attachStep(dir, 'error-context', 'text/markdown', `# Test source\n\n${'const line = 1;\n'.repeat(300)}`, 'md'));
    steps.push(
      step('After Hooks', [
        attachStep(dir, EVIDENCE_CARD, 'text/html', renderEvidenceCard(report), 'html'),
        attachStep(dir, EVIDENCE_JSON, 'application/json', JSON.stringify(report), 'json'),
        attachStep(dir, LAB_LOG_LINES, 'text/plain', `{"request_id":"${requestId}"}`, 'txt'),
      ]),
    );
  }
  const uuid = randomUUID();
  const result = {
    uuid,
    name: cellTitle(axes),
    fullName: `matrix.spec.ts › sign-in matrix › ${cellTitle(axes)}`,
    historyId: cellTitle(axes),
    status: classification ? 'failed' : 'passed',
    statusDetails: classification ? { message: verdictLine(classification) } : {},
    stage: 'finished',
    steps,
    attachments: [],
    parameters: [
      { name: 'Project', value: 'chromium' },
      { name: 'profile', value: axes.profile },
      { name: 'engine', value: 'chromium (native)' },
      { name: 'account', value: accountTypeLabel(axes) },
      { name: 'cookies', value: axes.cookies },
      { name: 'clock', value: axes.clock },
      { name: 'network', value: axes.network },
    ],
    labels: [
      { name: 'language', value: 'javascript' },
      { name: 'epic', value: 'Sign-in' },
      { name: 'feature', value: 'Matrix: smoke tier' },
      { name: 'story', value: `${axes.profile} · ${accountTypeLabel(axes)}` },
      ...Object.entries(axes as unknown as Record<string, string>).map(([name, value]) => ({ name, value })),
      ...(classification
        ? [
            { name: 'authmatrix.category', value: classification.category },
            { name: 'authmatrix.cause', value: classification.cause ?? '' },
          ]
        : []),
    ],
    links: [],
    start,
    stop: start + 1500,
  } as unknown as TestResult;
  arrangeForReaders(result);
  writeFileSync(path.join(dir, `${uuid}-result.json`), JSON.stringify(result));
}

/** The heat map of the run, with triage's line, and a wide grid of every account type. */
function writeHeatmap(cwd: string): void {
  const results: CellResult[] = [
    ...RED.map(([axes, classification]) => ({
      title: cellTitle(axes),
      project: 'chromium',
      axes,
      status: 'failed' as const,
      classification,
      retries: 0,
      durationMs: 1500,
    })),
    // Every account type: a grid wider than the report's attachment frame on a narrow screen.
    ...EMAIL_PROVIDERS.flatMap((emailProvider) =>
      PHONES.flatMap((phone) =>
        PLANS.flatMap((plan) =>
          MFAS.map((mfa) => {
            const axes: Cell = { ...cell('macos-safari', emailProvider), phone, plan, mfa };
            return { title: cellTitle(axes), project: 'chromium', axes, status: 'passed' as const, retries: 0, durationMs: 900 };
          }),
        ),
      ),
    ),
  ];
  const summary = summarize(results, {
    tier: 'smoke',
    target: 'lab',
    faults: ['outlook-verify-timeout'],
    startedAt: new Date().toISOString(),
    durationMs: 20_000,
    profiles: ['windows-chrome', 'macos-safari', 'android-chrome', 'ios-app', 'desktop-cli', 'windows-edge'],
  });
  mkdirSync(path.join(cwd, 'reports'), { recursive: true });
  writeFileSync(
    path.join(cwd, 'reports', 'matrix-heatmap.html'),
    withTriage(renderHtml(summary), [
      'token_exchange_failed (upstream-email-verification) needs emailProvider=outlook — independent of profile, phone, plan, mfa, cookies, clock, network (12 re-runs, 21 s)',
    ]),
  );
}

function report(cwd: string): string {
  const run = spawnSync(process.execPath, ['--import', 'tsx', REPORT_SCRIPT, 'results'], { cwd, encoding: 'utf8' });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  return run.stdout;
}

let cwd: string;
let browser: Browser;
before(() => {
  // Inside the project, so the report's config resolves Allure from node_modules.
  cwd = mkdtempSync(path.resolve('.report-test-'));
  copyFileSync('allurerc.mjs', path.join(cwd, 'allurerc.mjs'));
  mkdirSync(path.join(cwd, 'evidence'), { recursive: true });
  copyFileSync('evidence/verdict.ts', path.join(cwd, 'evidence', 'verdict.ts'));
  const results = path.join(cwd, 'results');
  mkdirSync(results);
  const start = Date.now() - 60_000;
  RED.forEach(([axes, classification], index) => writeCell(results, axes, classification, start + index * 2000));
  GREEN.forEach((axes, index) => writeCell(results, axes, undefined, start + 10_000 + index * 2000));
  writeHeatmap(cwd);
  // Twice, as after `npm run triage`: the run keeps one line in the history.
  report(cwd);
  report(cwd);
});
before(async () => {
  browser = await chromium.launch(launchOptionsFor(resolveBrowser({ browserExecutable: process.env.BROWSER_EXECUTABLE })));
});
after(async () => {
  await browser.close();
  rmSync(cwd, { recursive: true, force: true });
});

/** The single-file report in a page that may reach nothing but the file itself; `blocked` collects what it tried. */
async function openReport(width: number, blocked: string[], hash = ''): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const url = pathToFileURL(path.join(cwd, 'allure-report', 'single', 'index.html'));
  await page.route('**/*', async (route) => {
    const requested = new URL(route.request().url());
    if (['file:', 'data:', 'blob:'].includes(requested.protocol) || requested.origin === url.origin) await route.continue();
    else {
      blocked.push(requested.href);
      await route.abort('blockedbyclient');
    }
  });
  await page.goto(`${url.href}${hash}`);
  return page;
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

test('npm run report writes one page that opens from disk, calls no host, and renders the run', async () => {
  const blocked: string[] = [];
  const page = await openReport(1440, blocked);
  await expect(page.getByTestId('tab-all')).toContainText(String(RED.length + GREEN.length));
  await expect(page.getByTestId('tree-leaf').filter({ hasText: cellTitle(RED[0]?.[0] as Cell) })).toBeVisible();
  await expect(page.getByTestId('report-title')).toContainText('authmatrix');
  await screenshot(page, 'overview');
  await page.close();
  assert.deepEqual(blocked, []);
  const html = readFileSync(path.join(cwd, 'allure-report', 'single', 'index.html'), 'utf8');
  assert.doesNotMatch(html, /googletagmanager|gtag\(/);
  assert.doesNotMatch(readFileSync(path.join(cwd, 'allure-report', 'index.html'), 'utf8'), /googletagmanager|gtag\(/);
});

test('a report made twice from one run leaves one line in the history, and no result of its own', () => {
  const lines = readFileSync(path.join(cwd, 'allure-history', 'history.jsonl'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(lines.length, 1);
  const summary = JSON.parse(readFileSync(path.join(cwd, 'allure-report', 'summary.json'), 'utf8')) as { stats: { total: number } };
  assert.equal(summary.stats.total, RED.length + GREEN.length);
});

test('categories read token_exchange_failed → cause → the cells, each with its count, never a group per message', async () => {
  const tree = JSON.parse(readFileSync(path.join(cwd, 'allure-report', 'widgets', 'categories.json'), 'utf8')) as {
    roots: string[];
    nodes: Record<string, { type: string; name: string; statistic?: { total: number }; childrenIds?: string[] }>;
  };
  const node = (id: string) => tree.nodes[id] ?? assert.fail(`no node ${id}`);
  const [root] = tree.roots.map(node);
  assert.equal(root?.name, 'token_exchange_failed');
  assert.equal(root.statistic?.total, RED.length);
  const causes = (root.childrenIds ?? []).map(node);
  assert.deepEqual(
    causes.map((cause) => [cause.type, cause.name, cause.statistic?.total, (cause.childrenIds ?? []).map((id) => node(id).type)]),
    [
      ['group', 'authmatrix.cause: edge', 1, ['tr']],
      ['group', 'authmatrix.cause: upstream-email-verification', 3, ['tr', 'tr', 'tr']],
    ],
  );

  const blocked: string[] = [];
  const page = await openReport(1440, blocked, '#categories');
  const categories = page.getByTestId('base-layout');
  await expect(categories).toContainText(/upstream-email-verification\s*3/);
  await expect(categories).toContainText(/edge\s*1/);
  await expect(categories).toContainText(cellTitle(RED[0]?.[0] as Cell));
  await expect(categories).not.toContainText('request_id');
  await screenshot(page, 'categories');
  await page.close();
  assert.deepEqual(blocked, []);
});

test('a failed cell shows its axes as labels, its parameters at once, and the evidence card first', async () => {
  const results = readdirSync(path.join(cwd, 'allure-report', 'data', 'test-results')).map(
    (file) =>
      JSON.parse(readFileSync(path.join(cwd, 'allure-report', 'data', 'test-results', file), 'utf8')) as {
        id: string;
        name: string;
        status: string;
        labels: { name: string; value: string }[];
        parameters: unknown[];
      },
  );
  const failed = results.find((result) => result.name === cellTitle(RED[0]?.[0] as Cell)) ?? assert.fail('the red cell is in the report');
  assert.ok(failed.labels.some((label) => label.name === 'emailProvider' && label.value === 'outlook'));
  assert.ok(failed.parameters.length <= VISIBLE_PARAMETERS, `${failed.parameters.length} parameters`);

  const blocked: string[] = [];
  const page = await openReport(1440, blocked, `#${failed.id}`);
  await expect(page.getByTestId('test-result-info-title')).toContainText(failed.name);
  await expect(page.getByTestId('metadata-item').filter({ hasText: 'emailProvider' })).toContainText('outlook');
  await expect(page.getByText('Show more')).toHaveCount(1); // the labels' only: the parameters all show
  await expect(page.getByTestId('test-result-step').filter({ hasText: 'authmatrix.cell' })).toHaveCount(0);
  await page.getByTestId('test-result-tab-attachments').click();
  const headers = page.getByTestId('test-result-attachment-header');
  await expect(headers.first()).toContainText(EVIDENCE_CARD);
  await expect(headers.last()).toContainText('error-context');
  await headers.first().click();
  const card = page.locator('iframe').first().contentFrame();
  await expect(card.locator('.verdict')).toContainText('token_exchange_failed (upstream-email-verification)');
  await expect(card.getByText('“upstream email verification timed out after 300 ms”')).toBeVisible();
  await screenshot(page, 'failed-test');
  await page.close();
  assert.deepEqual(blocked, []);
});

test('the heat map fits its attachment frame at any width: nothing past the frame, a wide grid scrolls inside', async () => {
  for (const width of [1440, 1024, 640]) {
    const blocked: string[] = [];
    const page = await openReport(width, blocked, '#globalAttachments');
    await page.getByTestId('test-result-attachment-header').first().click();
    await expect(page.locator('iframe').first().contentFrame().locator('.triage')).toContainText('needs emailProvider=outlook');
    const frame = page.frames().find((candidate) => candidate !== page.mainFrame()) ?? assert.fail('the heat map has a frame');
    const fit = await frame.evaluate(() => ({
      page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
      grids: [...document.querySelectorAll('.grid')].map((grid) => {
        const table = grid.querySelector('table')?.getBoundingClientRect();
        const box = grid.getBoundingClientRect();
        // A grid either fits, or its own box scrolls to its last column.
        return (
          (table?.right ?? 0) <= box.right + 0.5 || (getComputedStyle(grid).overflowX === 'auto' && grid.scrollWidth > grid.clientWidth)
        );
      }),
    }));
    assert.ok((fit.page[0] ?? 0) <= (fit.page[1] ?? 0), `at ${width} px the page overflows its frame: ${fit.page.join(' > ')}`);
    assert.ok(fit.grids.length > 0 && fit.grids.every(Boolean), `at ${width} px a grid is cut: ${JSON.stringify(fit.grids)}`);
    if (width === 1440) await screenshot(page, 'heatmap');
    await page.close();
    assert.deepEqual(blocked, []);
  }
  assert.ok(existsSync(path.join(cwd, 'allure-report', 'index.html')));
});
