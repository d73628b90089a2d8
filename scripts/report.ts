/**
 * `npm run report [-- <results-dir> ...]`: builds the Allure 3 HTML report in allure-report/ from
 * one or several results folders (shards), offline and without Java. History accumulates in
 * allure-history/ (see allurerc.mjs), so each report shows trends over the previous runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
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
if (!existsSync('allure-report/index.html')) {
  process.stderr.write('npm run report: Allure finished but allure-report/index.html is missing; see its output above\n');
  process.exit(1);
}
process.stdout.write(`Allure report: ${path.resolve('allure-report/index.html')} (serve it with: npx allure open allure-report)\n`);
