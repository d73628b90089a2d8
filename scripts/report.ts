/**
 * `npm run report [-- <results-dir> ...]`: builds the Allure 3 HTML report in allure-report/ from
 * one or several results folders (shards), offline and without Java, and the same report as one
 * file, allure-report/single/index.html, that opens from disk. The folder is emptied first, so the
 * page shows these results and nothing of an earlier report. History accumulates in
 * allure-history/ (see allurerc.mjs), one line per run: a report made again from the same results
 * replaces that run's line. Neither page calls any host.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { allureResultId, historyWithoutRun, withoutAnalytics } from './allure-report.ts';

const require = createRequire(import.meta.url);
const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ['allure-results'];

const problems = dirs.flatMap((dir) => {
  if (!existsSync(dir)) return [`${dir} does not exist`];
  if (!readdirSync(dir).some((file) => file.endsWith('-result.json'))) return [`${dir} holds no Allure results`];
  return [];
});
if (problems.length) {
  process.stderr.write(
    `npm run report: ${problems.join('; ')}.\nRun the suite first (npx playwright test), or pass the results folders to merge: npm run report -- shard-1 shard-2\n`,
  );
  process.exit(2);
}

const OUTPUT = 'allure-report';
const SINGLE = path.join(OUTPUT, 'single');
// Outside OUTPUT while Allure writes there: a second folder in it would keep Allure from moving
// the multi-file report up to OUTPUT/index.html.
const SINGLE_STAGING = '.allure-report-single';
const HISTORY = path.join('allure-history', 'history.jsonl');

const resultIds = new Set(
  dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((file) => file.endsWith('-result.json'))
      .flatMap((file) => {
        try {
          const { uuid } = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { uuid?: unknown };
          return typeof uuid === 'string' ? [allureResultId(uuid)] : [];
        } catch {
          return [];
        }
      }),
  ),
);
if (existsSync(HISTORY)) writeFileSync(HISTORY, historyWithoutRun(readFileSync(HISTORY, 'utf8'), resultIds));

rmSync(OUTPUT, { recursive: true, force: true });
rmSync(SINGLE_STAGING, { recursive: true, force: true });

const cli = path.join(path.dirname(path.dirname(require.resolve('allure'))), 'cli.js');
const polyfill = new URL('./iterator-polyfill.ts', import.meta.url).href;
function generate(env: Record<string, string>): void {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', polyfill, cli, 'generate', ...dirs, '--config', 'allurerc.mjs'],
    { stdio: 'inherit', env: { ...process.env, NO_COLOR: '1', ...env } },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
// The single file first: it reads the history without adding to it, so the run is in it once.
generate({ AUTHMATRIX_SINGLE_FILE: '1', AUTHMATRIX_REPORT_OUTPUT: SINGLE_STAGING });
generate({});

const page = path.join(OUTPUT, 'index.html');
const singlePage = path.join(SINGLE, 'index.html');
if (!existsSync(page) || !existsSync(path.join(SINGLE_STAGING, 'index.html'))) {
  process.stderr.write(`npm run report: Allure finished but ${page} or the single-file page is missing; see its output above\n`);
  process.exit(1);
}
mkdirSync(SINGLE, { recursive: true });
renameSync(path.join(SINGLE_STAGING, 'index.html'), singlePage);
rmSync(SINGLE_STAGING, { recursive: true, force: true });
for (const file of [page, singlePage]) writeFileSync(file, withoutAnalytics(readFileSync(file, 'utf8')));

let counts = '';
try {
  const { stats } = JSON.parse(readFileSync(path.join(OUTPUT, 'summary.json'), 'utf8')) as { stats: Record<string, number> };
  const parts = ['passed', 'failed', 'broken', 'skipped', 'unknown'].filter((key) => stats[key]).map((key) => `${stats[key]} ${key}`);
  counts = ` of ${stats.total ?? 0} results (${parts.join(', ') || 'none'}) from ${dirs.join(', ')}`;
} catch {
  // The page was written; only its summary is unread.
}
process.stdout.write(
  `Allure report${counts}: ${path.resolve(page)} (serve it with: npx allure open ${OUTPUT}); one file that opens from disk: ${path.resolve(singlePage)}\n`,
);
