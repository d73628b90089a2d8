/**
 * `npm run triage [-- <summary.json>]`: says which conditions each regression of the last run
 * needs (scripts/triage-runner.ts). Reads reports/matrix-summary.json, re-runs cells against the
 * same target with the same faults, and writes reports/triage.{json,md}, the lines at the top of
 * reports/matrix-summary.md and of the heat map (reports/matrix-heatmap.html, the Allure report's
 * global attachment), and the line on each red cell's Allure description, and prints one line per
 * signature. It adds no result to allure-results/: triage is no test of the target, and a result
 * of its own would stretch the run's duration and count in its totals.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ALLURE_CATEGORY_LABEL, ALLURE_CAUSE_LABEL, classificationLabel, type Category } from '../evidence/verdict.ts';
import { renderVerdict, type TriageVerdict } from '../matrix/triage.ts';
import { withTriage } from '../reporters/matrix-summary.ts';
import { loadSettings, matrixScope } from '../settings/settings.ts';
import { Progress } from './progress.ts';
import { runValues, signatures, triage, type RunSummary } from './triage-runner.ts';

const TRIAGE_MARKER = '<!-- authmatrix triage -->';

/** Puts the triage lines at the top of the summary's Markdown (replacing earlier ones). */
function prependToSummary(file: string, lines: string[]): void {
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const rest = text.includes(TRIAGE_MARKER) ? (text.split(TRIAGE_MARKER)[2] ?? '').replace(/^\n+/, '') : text;
  const block = [TRIAGE_MARKER, '## Triage: what each regression needs', '', ...lines.map((line) => `- ${line}`), TRIAGE_MARKER, ''].join(
    '\n',
  );
  writeFileSync(file, `${block}\n${rest}`);
}

/** Puts the triage at the top of the heat map page, the report's global attachment (replacing an earlier triage). */
function addToHeatmap(file: string, lines: string[]): void {
  if (!existsSync(file)) return;
  writeFileSync(file, withTriage(readFileSync(file, 'utf8'), lines));
}

const TRIAGE_HEADING = '**Triage:**';

/**
 * Adds the triage line of its signature to each red cell's Allure description (the labels the
 * evidence fixture gives it), replacing a line an earlier triage left.
 */
function describeRedCells(dir: string, verdicts: readonly TriageVerdict[]): void {
  if (!existsSync(dir)) return;
  const lines = new Map(verdicts.map((verdict) => [verdict.signature, renderVerdict(verdict)]));
  for (const name of readdirSync(dir).filter((file) => file.endsWith('-result.json'))) {
    const file = path.join(dir, name);
    const result = JSON.parse(readFileSync(file, 'utf8')) as {
      status?: string;
      description?: string;
      labels?: { name: string; value: string }[];
    };
    const label = (key: string) => result.labels?.find((entry) => entry.name === key)?.value;
    const category = label(ALLURE_CATEGORY_LABEL) as Category | undefined;
    if (!category || (result.status !== 'failed' && result.status !== 'broken')) continue;
    const cause = label(ALLURE_CAUSE_LABEL);
    const line = lines.get(classificationLabel({ category, ...(cause ? { cause } : {}) }));
    if (!line) continue;
    const kept = (result.description ?? '').split(TRIAGE_HEADING)[0]?.trimEnd() ?? '';
    result.description = `${kept ? `${kept}\n\n` : ''}${TRIAGE_HEADING} ${line}`;
    writeFileSync(file, JSON.stringify(result));
  }
}

async function main(): Promise<void> {
  const file = process.argv[2] ?? path.join('reports', 'matrix-summary.json');
  if (!existsSync(file)) {
    process.stderr.write(`triage: ${file} does not exist; run the suite first (npx playwright test)\n`);
    process.exit(2);
  }
  const summary = JSON.parse(readFileSync(file, 'utf8')) as RunSummary;
  const settings = loadSettings();
  const scope = matrixScope(settings);
  if (signatures(summary).size === 0) {
    process.stdout.write('triage: no red cell to triage in the last run\n');
    return;
  }
  const workers = Number(process.env.TRIAGE_WORKERS ?? '2');
  const verdicts = await triage(summary, {
    env: {
      CI: undefined,
      MATRIX: summary.run.tier,
      ...(settings.target.kind === 'lab' ? { LAB_FAULTS: summary.run.faults.join(',') } : {}),
      // Re-runs draw on the run's own per-account attempt budget.
      ...(summary.run.runId ? { AUTHMATRIX_RUN_ID: summary.run.runId } : {}),
      TRIAGE: undefined,
    },
    workers,
    outputDir: path.join('reports', 'triage'),
    values: runValues(scope.networkPaths, scope.labEntryPoints, scope.fixedAxes),
    progress: new Progress('triage'),
  });
  const lines = verdicts.map(renderVerdict);
  mkdirSync('reports', { recursive: true });
  writeFileSync(path.join('reports', 'triage.json'), `${JSON.stringify({ source: file, verdicts }, null, 2)}\n`);
  writeFileSync(path.join('reports', 'triage.md'), `# authmatrix triage\n\n${lines.map((line) => `- ${line}`).join('\n')}\n`);
  prependToSummary(path.join(path.dirname(file), 'matrix-summary.md'), lines);
  addToHeatmap(path.join(path.dirname(file), 'matrix-heatmap.html'), lines);
  describeRedCells('allure-results', verdicts);
  process.stdout.write(`authmatrix triage:\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
}

await main();
