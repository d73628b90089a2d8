/**
 * The project's boundaries (.dependency-cruiser.cjs), as `npm run lint` checks them: the tree
 * keeps them, and a reach across in a scratch tree laid out like this one fails with the rule's name.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const CONFIG = path.resolve('.dependency-cruiser.cjs');
const DEPCRUISE = path.resolve('node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

function cruise(cwd: string, targets: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', 'err', ...targets], {
    cwd,
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-boundaries-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('the tree keeps its boundaries', () => {
  const result = spawnSync('npm', ['run', '--silent', 'lint:boundaries'], { encoding: 'utf8' });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
});

test('a page that imports the lab, a matrix that imports a page, and an import cycle each fail by name', (t) => {
  const dir = scratch({
    'lab/store.ts': 'export const FAULTS = ["replica-lag"];\n',
    'targets/profile.ts': 'export const PROFILE = 1;\n',
    'pages/email.page.ts':
      "import { FAULTS } from '../lab/store.ts';\nimport { PROFILE } from '../targets/profile.ts';\nexport const x = [FAULTS, PROFILE];\n",
    'matrix/axes.ts': "import { x } from '../pages/email.page.ts';\nexport const axes = x;\n",
    'accounts/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
    'accounts/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const result = cruise(dir, ['lab', 'targets', 'pages', 'matrix', 'accounts']);
  assert.notEqual(result.status, 0);
  assert.match(result.output, /pages-see-only-the-profile: pages\/email\.page\.ts → lab\/store\.ts/);
  assert.match(result.output, /suite-reaches-the-lab-only-over-http: pages\/email\.page\.ts → lab\/store\.ts/);
  assert.match(result.output, /matrix-is-pure-data: matrix\/axes\.ts → pages\/email\.page\.ts/);
  assert.match(result.output, /no-circular: accounts\/[ab]\.ts/);
  assert.doesNotMatch(result.output, /targets\/profile\.ts/, 'a page may import the target profile');
});

test('no folder imports, through any others, a folder that imports it', () => {
  const folders = [
    'accounts',
    'browsers',
    'clients',
    'evidence',
    'fixtures',
    'matrix',
    'pages',
    'reporters',
    'settings',
    'targets',
    'tests',
  ];
  const result = spawnSync(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', 'json', ...folders], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(result.status, 0, result.stderr);
  const cruised = JSON.parse(result.stdout) as { modules: { source: string; dependencies: { resolved: string }[] }[] };
  const folderOf = (file: string) => (folders.includes(file.split('/')[0] ?? '') ? file.split('/')[0] : undefined);
  const edges = new Map<string, Set<string>>();
  for (const module of cruised.modules) {
    const from = folderOf(module.source);
    for (const dependency of module.dependencies) {
      const to = folderOf(dependency.resolved);
      if (from && to && from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  const cycles: string[] = [];
  const walk = (folder: string, path: string[]) => {
    if (path.includes(folder)) return void cycles.push([...path.slice(path.indexOf(folder)), folder].join(' → '));
    for (const next of edges.get(folder) ?? []) walk(next, [...path, folder]);
  };
  for (const folder of folders) walk(folder, []);
  assert.deepEqual(cycles, []);
});
