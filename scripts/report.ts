/**
 * `npm run report [-- <results-dir> ...]`: builds the Allure 3 HTML report in allure-report/ from
 * one or several results folders (shards), offline and without Java. The folder is emptied first,
 * so the page shows these results and nothing of an earlier report. History accumulates in
 * allure-history/ (see allurerc.mjs), so each report shows trends over the previous runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

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
rmSync(OUTPUT, { recursive: true, force: true });

const cli = path.join(path.dirname(path.dirname(require.resolve('allure'))), 'cli.js');
const polyfill = new URL('./iterator-polyfill.ts', import.meta.url).href;
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--import', polyfill, cli, 'generate', ...dirs, '--config', 'allurerc.mjs'],
  {
    stdio: 'inherit',
    env: { ...process.env, NO_COLOR: '1' },
  },
);
if (result.status !== 0) process.exit(result.status ?? 1);
const page = path.join(OUTPUT, 'index.html');
if (!existsSync(page)) {
  process.stderr.write(`npm run report: Allure finished but ${page} is missing; see its output above\n`);
  process.exit(1);
}
let counts = '';
try {
  const { stats } = JSON.parse(readFileSync(path.join(OUTPUT, 'summary.json'), 'utf8')) as { stats: Record<string, number> };
  const parts = ['passed', 'failed', 'broken', 'skipped', 'unknown'].filter((key) => stats[key]).map((key) => `${stats[key]} ${key}`);
  counts = ` of ${stats.total ?? 0} results (${parts.join(', ') || 'none'}) from ${dirs.join(', ')}`;
} catch {
  // The page was written; only its summary is unread.
}
process.stdout.write(`Allure report${counts}: ${path.resolve(page)} (serve it with: npx allure open ${OUTPUT})\n`);
