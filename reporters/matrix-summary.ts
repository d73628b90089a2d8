/**
 * The matrix summary, built from test results: each cell's status, category and cause; heat maps
 * of profiles against account types, overall and per condition; rendered as console text,
 * Markdown (for a CI job summary), JSON and HTML. Pure: no I/O.
 */
import { classificationLabel, type Classification } from '../evidence/classify.ts';
import { accountTypeLabel, BUILT_IN_NETWORK_PATHS, DIRECT } from '../matrix/axes.ts';
import { pairCoverage, type Cell } from '../matrix/cells.ts';
import { countSkips, coverageText, skipsText } from '../targets/skips.ts';

export type CellStatus = 'passed' | 'failed' | 'intermittent' | 'skipped';

export interface CellResult {
  title: string;
  project: string;
  /** The matrix cell this result stands for; undefined for a test that is not a cell. */
  axes: Cell | undefined;
  /** A listed cell's label (MATRIX_CELLS), which keeps repeats of one cell apart. */
  label?: string | undefined;
  status: CellStatus;
  classification?: Classification | undefined;
  /** Classifications of failed attempts before a pass on retry. */
  earlierFailures?: Classification[] | undefined;
  retries: number;
  durationMs: number;
  /** Why a skipped cell did not run (the target cannot serve it, no account of its type). */
  skipReason?: string | undefined;
}

export interface RunInfo {
  /** The run's id (AUTHMATRIX_RUN_ID): re-runs of its cells (triage) share its per-account attempt budget. */
  runId?: string | undefined;
  tier: string;
  target: string;
  faults: string[];
  /** Account axes the target holds to one value: every cell has that value, and the report says so. */
  fixedAxes?: Record<string, string>;
  startedAt: string;
  durationMs: number;
  /** From the run's start to the end of its first failed cell (time to first red), when one failed. */
  firstRedMs?: number | undefined;
  /** The order the cells ran in (MATRIX_ORDER). */
  order?: string | undefined;
  profiles: readonly string[];
}

export interface MatrixSummary {
  run: RunInfo;
  totals: Record<CellStatus, number> & { cells: number; otherTests: number; otherFailed: number };
  cells: CellResult[];
  others: CellResult[];
  heatmap: HeatMap;
  conditions: Record<string, HeatMap>;
  /** Pairs of axis values the cells that ran hold, against every pair the constraints allow. */
  coverage: { covered: number; allowed: number; ran: number };
  /** Why the skipped cells did not run, each reason with its count (account types wanting counted as one reason). */
  skipped: { reason: string; count: number }[];
}

export interface HeatMap {
  rows: string[];
  columns: string[];
  /** rows × columns of aggregated status, undefined where no cell ran. */
  grid: (CellStatus | undefined)[][];
}

const SEVERITY: Record<CellStatus, number> = { skipped: 0, passed: 1, intermittent: 2, failed: 3 };
const SYMBOL: Record<CellStatus, string> = { passed: '✓', failed: '✗', intermittent: '~', skipped: '-' };
const CONDITION_AXES = ['cookies', 'clock', 'network'] as const;

function worst(statuses: CellStatus[]): CellStatus | undefined {
  return statuses.reduce<CellStatus | undefined>(
    (acc, status) => (acc === undefined || SEVERITY[status] > SEVERITY[acc] ? status : acc),
    undefined,
  );
}

function heatmap(cells: CellResult[], rows: readonly string[], columnOf: (cell: CellResult) => string): HeatMap {
  const columns = [...new Set(cells.map(columnOf))].sort();
  const usedRows = rows.filter((row) => cells.some((cell) => cell.axes?.profile === row));
  return {
    rows: usedRows,
    columns,
    grid: usedRows.map((row) =>
      columns.map((column) =>
        worst(cells.filter((cell) => cell.axes?.profile === row && columnOf(cell) === column).map((cell) => cell.status)),
      ),
    ),
  };
}

export function summarize(results: CellResult[], run: RunInfo): MatrixSummary {
  const cells = results.filter((result) => result.axes);
  const others = results.filter((result) => !result.axes);
  const count = (status: CellStatus) => cells.filter((cell) => cell.status === status).length;
  const ran = cells.filter((cell) => cell.status !== 'skipped').map((cell) => cell.axes as Cell);
  const networks = new Set(cells.map((cell) => cell.axes?.network ?? DIRECT));
  const builtIn = new Set<string>(BUILT_IN_NETWORK_PATHS);
  const labEntryPoints = [...networks].some((network) => network !== DIRECT && builtIn.has(network));
  const coverage = pairCoverage(
    ran,
    [...networks].filter((network) => !builtIn.has(network)),
    labEntryPoints,
    run.fixedAxes ?? {},
  );
  return {
    run,
    totals: {
      cells: cells.length,
      passed: count('passed'),
      failed: count('failed'),
      intermittent: count('intermittent'),
      skipped: count('skipped'),
      otherTests: others.length,
      otherFailed: others.filter((other) => other.status === 'failed').length,
    },
    cells,
    others,
    heatmap: heatmap(cells, run.profiles, (cell) => (cell.axes ? accountTypeLabel(cell.axes) : '?')),
    conditions: Object.fromEntries(CONDITION_AXES.map((axis) => [axis, heatmap(cells, run.profiles, (cell) => cell.axes?.[axis] ?? '?')])),
    coverage: { covered: coverage.covered, allowed: coverage.allowed, ran: ran.length },
    skipped: countSkips(cells.filter((cell) => cell.status === 'skipped').map((cell) => cell.skipReason ?? 'no reason given')),
  };
}

/** `pair coverage 78/265 (29.4%) over the 3 cells that ran; 2 skipped: 1 …, 1 …` */
export function coverageLine(summary: MatrixSummary): string {
  const { coverage, skipped } = summary;
  const skips = skipped.reduce((sum, entry) => sum + entry.count, 0);
  return `pair coverage ${coverageText(coverage)} over the ${coverage.ran} cells that ran${skips ? `; ${skips} skipped: ${skipsText(skipped)}` : ''}`;
}

export function headline(summary: MatrixSummary): string {
  const { totals, run } = summary;
  const faults = run.faults.length ? ` with lab faults ${run.faults.join(', ')}` : '';
  if (totals.cells === 0) return `No matrix cells ran (tier ${run.tier}${faults}).`;
  if (totals.failed === 0 && totals.intermittent === 0) {
    if (totals.skipped === 0) return `All ${totals.cells} cells of the ${run.tier} tier passed${faults}.`;
    if (totals.passed === 0) return `No cell of the ${run.tier} tier could run: all ${totals.cells} were skipped${faults}.`;
    return `All ${totals.passed} cells of the ${run.tier} tier that ran passed; ${totals.skipped} of ${totals.cells} were skipped${faults}.`;
  }
  const parts = [`${totals.failed} of ${totals.cells} cells failed`];
  if (totals.intermittent) parts.push(`${totals.intermittent} passed only on retry (intermittent)`);
  return `${parts.join('; ')} — ${run.tier} tier${faults}.`;
}

function label(classification: Classification | undefined): string {
  return classification ? classificationLabel(classification) : 'unclassified';
}

function textGrid(map: HeatMap, corner: string): string {
  const width = Math.max(corner.length, ...map.rows.map((row) => row.length));
  const header = `${corner.padEnd(width)}  ${map.columns.map((_, index) => String.fromCharCode(65 + index)).join(' ')}`;
  const lines = map.rows.map(
    (row, r) => `${row.padEnd(width)}  ${map.columns.map((_, c) => (map.grid[r]?.[c] ? SYMBOL[map.grid[r][c]] : '·')).join(' ')}`,
  );
  const legend = map.columns.map((column, index) => `${String.fromCharCode(65 + index)}=${column}`).join('  ');
  return [header, ...lines, `  ${legend}`].join('\n');
}

export function renderConsole(summary: MatrixSummary): string {
  const lines = [
    '',
    `authmatrix: ${headline(summary)}`,
    `  ${coverageLine(summary)}`,
    '',
    textGrid(summary.heatmap, 'profile \\ account'),
    '',
  ];
  for (const cell of summary.cells.filter((result) => result.status === 'failed'))
    lines.push(`  ✗ ${cell.title}\n      ${label(cell.classification)}: ${cell.classification?.summary ?? ''}`);
  for (const cell of summary.cells.filter((result) => result.status === 'intermittent')) {
    lines.push(
      `  ~ ${cell.title}\n      intermittent: passed on retry after ${cell.earlierFailures?.map(label).join(', ') ?? 'a failure'}`,
    );
  }
  for (const cell of summary.cells.filter((result) => result.status === 'skipped'))
    lines.push(`  - ${cell.title}\n      skipped: ${cell.skipReason ?? 'no reason given'}`);
  lines.push('  ✓ passed   ✗ failed   ~ intermittent (passed on retry after token_exchange_failed)   - skipped   · not in this tier', '');
  return lines.join('\n');
}

function markdownGrid(map: HeatMap, corner: string): string {
  const header = `| ${corner} | ${map.columns.join(' | ')} |`;
  const rule = `| --- | ${map.columns.map(() => ':-:').join(' | ')} |`;
  const rows = map.rows.map(
    (row, r) => `| ${row} | ${map.columns.map((_, c) => (map.grid[r]?.[c] ? SYMBOL[map.grid[r][c]] : '·')).join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}

export function renderMarkdown(summary: MatrixSummary): string {
  const { totals, run } = summary;
  const out = [
    '# authmatrix: sign-in matrix',
    '',
    `**${headline(summary)}**`,
    '',
    coverageLine(summary),
    '',
    `Target ${run.target} · tier ${run.tier} · ${totals.cells} cells: ${totals.passed} passed, ${totals.failed} failed, ${totals.intermittent} intermittent, ${totals.skipped} skipped · lab faults: ${run.faults.join(', ') || 'none'} · ${(run.durationMs / 1000).toFixed(0)} s${run.firstRedMs !== undefined ? ` · first red after ${(run.firstRedMs / 1000).toFixed(1)} s${run.order ? ` (${run.order} order)` : ''}` : ''}`,
    '',
    ...Object.entries(run.fixedAxes ?? {}).map(
      ([axis, value]) => `_${axis} does not apply to this target: every cell has ${axis}=${value}._\n`,
    ),
  ];
  const failed = summary.cells.filter((cell) => cell.status !== 'passed' && cell.status !== 'skipped');
  if (failed.length) {
    out.push('## Red cells', '', '| cell | status | category (cause) | why |', '| --- | --- | --- | --- |');
    for (const cell of failed) {
      const classification = cell.status === 'intermittent' ? cell.earlierFailures?.[0] : cell.classification;
      out.push(`| ${cell.title} | ${cell.status} | ${label(classification)} | ${(classification?.summary ?? '').replace(/\|/g, '\\|')} |`);
    }
    out.push('');
  }
  const skipped = summary.cells.filter((cell) => cell.status === 'skipped');
  if (skipped.length) {
    out.push('## Skipped cells', '', '| cell | why |', '| --- | --- |');
    for (const cell of skipped) out.push(`| ${cell.title} | ${(cell.skipReason ?? 'no reason given').replace(/\|/g, '\\|')} |`);
    out.push('');
  }
  out.push('## Profiles × account types', '', markdownGrid(summary.heatmap, 'profile \\ account'), '');
  for (const [axis, map] of Object.entries(summary.conditions))
    out.push(`## Profiles × ${axis}`, '', markdownGrid(map, `profile \\ ${axis}`), '');
  if (summary.others.length) {
    out.push('## Other tests', '', '| test | status | category (cause) |', '| --- | --- | --- |');
    for (const other of summary.others)
      out.push(`| ${other.title} | ${other.status} | ${other.status === 'passed' ? '' : label(other.classification)} |`);
    out.push('');
  }
  out.push('✓ passed · ✗ failed · ~ intermittent (passed on retry after token_exchange_failed) · - skipped · `·` not in this tier', '');
  return out.join('\n');
}

const escape = (text: string) => text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
const COLOUR: Record<CellStatus, string> = { passed: '#2e7d32', failed: '#c62828', intermittent: '#ef6c00', skipped: '#9e9e9e' };

/** Long column names (account types, `outlook/bound/free/totp`) may break after a slash, so a narrow page reflows. */
const breakable = (text: string) => escape(text).replace(/\//g, '/<wbr>');

function htmlGrid(map: HeatMap, title: string, corner: string): string {
  const head = `<tr><th>${escape(corner)}</th>${map.columns.map((column) => `<th scope="col">${breakable(column)}</th>`).join('')}</tr>`;
  const rows = map.rows
    .map(
      (row, r) =>
        `<tr><th scope="row">${escape(row)}</th>${map.columns
          .map((column, c) => {
            const status = map.grid[r]?.[c];
            return status
              ? `<td style="background:${COLOUR[status]}" title="${escape(`${row} · ${column}: ${status}`)}">${SYMBOL[status]}</td>`
              : '<td class="none">·</td>';
          })
          .join('')}</tr>`,
    )
    .join('');
  // A grid wider than the frame scrolls inside its own box; the page never does.
  return `<h2>${escape(title)}</h2><div class="grid"><table>${head}${rows}</table></div>`;
}

/** Where triage's answers go on the heat map page: between two of these. */
export const TRIAGE_MARKER = '<!-- authmatrix triage -->';

/**
 * The heat map page fits any frame (the Allure report shows it in an attachment frame of its
 * content column's width, 150 px high until expanded): headers wrap, a grid still too wide scrolls
 * inside itself, and what a reader acts on — the headline, triage's answers, the red cells —
 * comes before the grids.
 */
export function renderHtml(summary: MatrixSummary): string {
  const failed = summary.cells.filter((cell) => cell.status === 'failed' || cell.status === 'intermittent');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>authmatrix heat map</title><style>
html,body{max-width:100%;overflow-x:hidden}h1{font-size:1.2rem;margin:0 0 .4rem}h2{font-size:1rem}body{font-family:system-ui,sans-serif;margin:.8rem 1rem;color:#1b1b1f;overflow-wrap:anywhere}
.grid{max-width:100%;overflow-x:auto;margin-bottom:1.5rem}table{border-collapse:collapse}
th,td{border:1px solid #ddd;padding:.3rem .4rem;font-size:.85rem;text-align:center}th{background:#f4f4f6;font-weight:600}
thead th,tr:first-child th{min-width:3.5rem;max-width:9rem}th[scope=row]{text-align:left;white-space:nowrap}
td{color:#fff;font-weight:bold;min-width:1.6rem}td.none{color:#999;background:#fafafa}li{margin:.3rem 0}
.triage{border-left:4px solid #1565c0;background:#e8f0fb;padding:.5rem 1rem;margin:1rem 0}</style></head><body>
<h1>authmatrix: sign-in matrix</h1><p><strong>${escape(headline(summary))}</strong></p>
${TRIAGE_MARKER}${TRIAGE_MARKER}
${failed.length ? `<h2>Red cells</h2><ul>${failed.map((cell) => `<li><strong>${escape(cell.title)}</strong>: ${escape(label(cell.status === 'intermittent' ? cell.earlierFailures?.[0] : cell.classification))} — ${escape((cell.status === 'intermittent' ? cell.earlierFailures?.[0] : cell.classification)?.summary ?? '')}</li>`).join('')}</ul>` : ''}
${htmlGrid(summary.heatmap, 'Profiles × account types', 'profile \\ account')}
${Object.entries(summary.conditions)
  .map(([axis, map]) => htmlGrid(map, `Profiles × ${axis}`, `profile \\ ${axis}`))
  .join('\n')}
</body></html>`;
}

/** The heat map page with triage's lines (one per signature) at its top, replacing an earlier triage's. */
export function withTriage(html: string, lines: readonly string[]): string {
  const block = `${TRIAGE_MARKER}<section class="triage"><h2>Triage: what each regression needs</h2><ul>${lines
    .map((line) => `<li>${escape(line)}</li>`)
    .join('')}</ul></section>${TRIAGE_MARKER}`;
  const [before, , after] = html.split(TRIAGE_MARKER);
  if (after !== undefined) return `${before}${block}${after}`;
  return html.replace(/<body>/, `<body>${block}`);
}
