/**
 * `npm run drill`: proves the suite catches every catalogued regression. One lab is started for
 * the whole drill; a clean baseline runs the whole suite, then the matrix runs once per fault with
 * that fault armed. Each run is judged against scripts/drill-expectations.ts: detected, the red
 * cells against the cells the fault should hurt (false positives, misses), and the cause named.
 * Writes reports/drill-report.{md,json}; exits non-zero on a red baseline, an undetected fault,
 * a false positive, a miss or a misnamed cause.
 *
 * DRILL_FAULTS=id1,id2 drills a subset. MATRIX picks the baseline's tier (pairwise by default);
 * `--fault-tier smoke` (or DRILL_FAULT_TIER) runs the fault runs on a smaller tier, which still
 * holds, for every fault, a cell it hurts and one it spares (a unit test checks this).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FAULT_CATALOG, isFaultId, type FaultId } from '../lab/faults.ts';
import { FAULT_EXPECTATIONS } from './drill-expectations.ts';
import { judge, notJudged, type DrillCell, type FaultVerdict } from './drill-verdict.ts';
import { startLabProcess } from './processes.ts';
import { Progress } from './progress.ts';
import { renderVerdict, type TriageVerdict } from '../matrix/triage.ts';
import { runValues, triage, type RunSummary } from './triage-runner.ts';

const LAB_PORT = process.env.DRILL_LAB_PORT ?? '4780';
const TOKEN = randomBytes(24).toString('base64url');
const TIER = process.env.MATRIX ?? 'pairwise';
const flagIndex = process.argv.indexOf('--fault-tier');
const FAULT_TIER = (flagIndex > 0 ? process.argv[flagIndex + 1] : undefined) ?? process.env.DRILL_FAULT_TIER ?? TIER;
if (!['smoke', 'pairwise', 'full'].includes(FAULT_TIER)) {
  process.stderr.write(`drill: --fault-tier must be smoke, pairwise or full, got ${JSON.stringify(FAULT_TIER)}\n`);
  process.exit(2);
}
const WORKERS = process.env.DRILL_WORKERS ?? '2';
// --triage (or DRILL_TRIAGE=1): triage each fault's run and judge the conditions it names.
const TRIAGE = process.argv.includes('--triage') || process.env.DRILL_TRIAGE === '1';
const faultNames = (process.env.DRILL_FAULTS ?? FAULT_CATALOG.map((fault) => fault.id).join(','))
  .split(',')
  .map((id) => id.trim())
  .filter(Boolean);
const faults = faultNames.filter(isFaultId);

for (const fault of faultNames) {
  if (!isFaultId(fault)) {
    process.stderr.write(
      `drill: no expectation for fault ${JSON.stringify(fault)}; known: ${Object.keys(FAULT_EXPECTATIONS).join(', ')}\n`,
    );
    process.exit(2);
  }
}

// The drill reuses its one lab: CI would make Playwright start another on the same port.
const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  CI: undefined,
  LAB_PORT,
  LAB_ADMIN_TOKEN: TOKEN,
  MATRIX: TIER,
  ...extra,
});

const SUMMARY = path.join('reports', 'matrix-summary.json');

const progress = new Progress('drill');

// Fault runs run in risk order with an empty record of red cells: each fault is a regression the
// matrix has never seen, and the time to its first red cell is what a nightly run would see.
const RED_CELLS = path.join('reports', 'drill-red-cells.json');

/** Runs the suite; the summary it leaves is this run's (an earlier one is removed first), or none. */
async function runDrillSuite(
  what: string,
  args: string[],
  faultsArmed: string,
  tier: string,
  extra: Record<string, string> = {},
): Promise<{ code: number | null; seconds: number }> {
  rmSync(SUMMARY, { force: true });
  const run = await progress.suite(
    what,
    ['--workers', WORKERS, '--retries', '0', ...args],
    childEnv({ LAB_FAULTS: faultsArmed, MATRIX: tier, ...extra }),
    { output: 'inherit' },
  );
  return { code: run.status, seconds: Math.round(run.ms / 1000) };
}

/** The cells of the run just finished, or undefined when it wrote no summary (it ended before its first test). */
function readCells(): { cells: DrillCell[]; others: DrillCell[]; firstRedMs: number | undefined } | undefined {
  if (!existsSync(SUMMARY)) return undefined;
  const summary = JSON.parse(readFileSync(SUMMARY, 'utf8')) as { run: { firstRedMs?: number }; cells: DrillCell[]; others: DrillCell[] };
  return { cells: summary.cells, others: summary.others, firstRedMs: summary.run.firstRedMs };
}

const noSummary = (code: number | null) =>
  `the run wrote no matrix summary (exit code ${code}): it ended before its first test; see its output above`;

/** A fault's verdict with its run time and, under --triage, what triage named. */
type DrillVerdict = FaultVerdict & {
  seconds: number;
  /** From the run's start to its first red cell (risk order), when a cell was red. */
  firstRedSeconds?: number | undefined;
  triage?: { named: string; expected: string; right: boolean; seconds: number } | undefined;
};

/** Triage of a fault's run: the conditions named against the documented ones. */
async function triageFault(fault: FaultId, summaryFile: string): Promise<DrillVerdict['triage']> {
  const expected = FAULT_EXPECTATIONS[fault].needs;
  if (!expected) return undefined;
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as RunSummary;
  const started = Date.now();
  const verdicts: TriageVerdict[] = await triage(summary, {
    env: childEnv({ LAB_FAULTS: fault, MATRIX: FAULT_TIER }),
    workers: Number(WORKERS),
    outputDir: path.join('reports', 'triage', fault),
    values: runValues([], true, {}),
    progress,
  });
  const mine = verdicts.find((verdict) => verdict.signature.includes(`(${String(FAULT_EXPECTATIONS[fault].cause)})`)) ?? verdicts[0];
  const named =
    mine?.outcome === 'settled' ? mine.needs.map((need) => need.label).join(' and ') : mine ? renderVerdict(mine) : 'no red cell';
  return {
    named,
    expected: expected.join(' and '),
    right: mine?.outcome === 'settled' && named === expected.join(' and '),
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

interface Baseline {
  green: boolean;
  cells: number;
  red: string[];
  seconds: number;
}

/** The median time to first red over the faults that turned a cell red. */
function medianFirstRed(verdicts: readonly DrillVerdict[]): string {
  const times = verdicts
    .flatMap((verdict) => (verdict.firstRedSeconds === undefined ? [] : [verdict.firstRedSeconds]))
    .sort((a, b) => a - b);
  if (!times.length) return 'no red cell';
  const middle = Math.floor(times.length / 2);
  const median = times.length % 2 ? (times[middle] as number) : ((times[middle - 1] as number) + (times[middle] as number)) / 2;
  return `${median.toFixed(1)} s over ${times.length} faults`;
}

function renderMarkdown(baseline: Baseline, verdicts: DrillVerdict[], seconds: number): string {
  const passed = verdicts.filter((verdict) => verdict.passed).length;
  const lines = [
    '# authmatrix regression drill',
    '',
    `**${baseline.green ? 'Baseline green' : 'Baseline RED'}; ${verdicts.filter((v) => v.detected).length} of ${verdicts.length} faults detected; ${passed} of ${verdicts.length} with the right cells and the right cause.** Baseline: the whole suite on the ${TIER} tier (${baseline.cells} cells); fault runs: the ${FAULT_TIER} tier; ${seconds} s in all.`,
    '',
    `Time to first red (risk order, no record of earlier runs): median ${medianFirstRed(verdicts)}.`,
    '',
    '| fault | detected | red cells | expected red | false positives | missed | cause named right | triage named | first red (s) | seconds |',
    '| --- | :-: | --: | --: | --: | --: | :-: | --- | --: | --: |',
    ...verdicts.map(
      (v) =>
        `| \`${v.fault}\` | ${v.detected ? 'yes' : '**no**'} | ${v.red.length} | ${v.expectedRed} | ${v.falsePositives.length} | ${v.missed.length} | ${v.misnamed.length === 0 ? 'yes' : `**no (${v.misnamed.length})**`} | ${v.triage ? `${v.triage.right ? '' : '**'}${v.triage.named}${v.triage.right ? '' : `** (expected ${v.triage.expected})`} (${v.triage.seconds} s)` : TRIAGE ? 'not triaged' : '—'} | ${v.firstRedSeconds?.toFixed(1) ?? '—'} | ${v.seconds} |`,
    ),
    '',
  ];
  if (!baseline.green) lines.push('## Baseline red tests', '', ...baseline.red.map((title) => `- ${title}`), '');
  for (const verdict of verdicts) {
    const spec = FAULT_CATALOG.find((fault) => fault.id === verdict.fault);
    lines.push(`## \`${verdict.fault}\``, '', `Models: ${spec?.models ?? ''}. Hurts: ${spec?.hurts ?? ''}.`, '');
    lines.push(...verdict.red.map((cell) => `- ${cell.expected ? '' : '**unexpected** '}${cell.title} — ${cell.label}`));
    for (const title of verdict.missed) lines.push(`- **missed** (should be red): ${title}`);
    for (const line of verdict.misnamed) lines.push(`- **misnamed**: ${line}`);
    if (verdict.notJudged) lines.push(`- **not judged**: ${verdict.notJudged}`);
    lines.push('');
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  progress.say(
    `starting its lab on port ${LAB_PORT}; then the baseline (tier ${TIER}) and ${faults.length} fault run(s) (tier ${FAULT_TIER}${TRIAGE ? ', each triaged' : ''})`,
  );
  const lab = await startLabProcess(childEnv({ LAB_QUIET: '1' }));
  progress.say(`lab ready in ${Math.round(lab.readyMs)} ms`);
  const verdicts: DrillVerdict[] = [];
  let baseline: Baseline;
  try {
    progress.say(`baseline: the whole suite, tier ${TIER}`);
    const run = await runDrillSuite('baseline', [], '', TIER);
    const ran = readCells();
    const red = ran
      ? [...ran.cells, ...ran.others].filter((cell) => cell.status !== 'passed' && cell.status !== 'skipped').map((cell) => cell.title)
      : [noSummary(run.code)];
    baseline = { green: run.code === 0 && red.length === 0, cells: ran?.cells.length ?? 0, red, seconds: run.seconds };
    progress.say(`baseline ${baseline.green ? 'green' : 'RED'}: ${baseline.cells} cells (${run.seconds} s)`);
    for (const [index, fault] of faults.entries()) {
      const expectation = FAULT_EXPECTATIONS[fault];
      const name = `fault ${index + 1}/${faults.length} ${fault}`;
      progress.say(`${name}: tier ${FAULT_TIER}, risk order`);
      rmSync(RED_CELLS, { force: true });
      const faultRun = await runDrillSuite(name, ['tests/matrix.spec.ts'], fault, FAULT_TIER, {
        MATRIX_ORDER: 'risk',
        AUTHMATRIX_RED_CELLS: RED_CELLS,
      });
      const ran = readCells();
      const verdict: DrillVerdict = {
        ...(ran ? judge(fault, ran.cells, expectation) : notJudged(fault, noSummary(faultRun.code))),
        seconds: faultRun.seconds,
        firstRedSeconds: ran?.firstRedMs === undefined ? undefined : ran.firstRedMs / 1000,
      };
      if (TRIAGE && ran) {
        progress.say(`${name}: triage`);
        verdict.triage = await triageFault(fault, SUMMARY);
        if (verdict.triage && !verdict.triage.right) verdict.passed = false;
        if (verdict.triage)
          progress.say(`${name}: triage named ${verdict.triage.named} (expected ${verdict.triage.expected}; ${verdict.triage.seconds} s)`);
      }
      verdicts.push(verdict);
      progress.say(
        `${name}: ${verdict.passed ? 'ok' : 'FAILED'} — ${verdict.notJudged ? `${verdict.notJudged}; ` : ''}${verdict.red.length} red of ${verdict.expectedRed} expected, ${verdict.falsePositives.length} false positives, ${verdict.missed.length} missed, ${verdict.misnamed.length} misnamed (${faultRun.seconds} s${verdict.firstRedSeconds === undefined ? '' : `, first red after ${verdict.firstRedSeconds.toFixed(1)} s`})`,
      );
    }
  } finally {
    progress.say('stopping its lab');
    await lab.stop();
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  mkdirSync('reports', { recursive: true });
  writeFileSync(
    path.join('reports', 'drill-report.json'),
    `${JSON.stringify({ tier: TIER, faultTier: FAULT_TIER, seconds, medianFirstRed: medianFirstRed(verdicts), baseline, faults: verdicts }, null, 2)}\n`,
  );
  writeFileSync(path.join('reports', 'drill-report.md'), renderMarkdown(baseline, verdicts, seconds));
  const ok = baseline.green && verdicts.every((verdict) => verdict.passed);
  process.stdout.write(
    `drill: ${ok ? 'passed' : 'FAILED'}: baseline ${baseline.green ? 'green' : 'red'}, ${verdicts.filter((v) => v.passed).length}/${verdicts.length} faults caught with the right cells and cause, first red after a median ${medianFirstRed(verdicts)}, ${seconds} s (reports/drill-report.md)\n`,
  );
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`drill: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
