/**
 * The suite as a user runs it: `npx playwright test` in a child process, checked from outside.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Server } from 'proxy-chain';
import { cellsFor, cellTitle } from '../matrix/cells.ts';
import { runSuite } from '../scripts/processes.ts';
import { loadSettings, settingsParses } from '../settings/settings.ts';

const PLAYWRIGHT = ['node_modules/@playwright/test/cli.js', 'test'];

test("MATRIX=full --list lists every cell of the full tier, each once, in its engine's project", () => {
  const result = spawnSync(process.execPath, [...PLAYWRIGHT, '--list', 'tests/matrix.spec.ts'], {
    env: { ...process.env, MATRIX: 'full' },
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  const cells = cellsFor('full');
  const listed = result.stdout.split('\n').filter((line) => line.includes('› sign-in matrix ›'));
  assert.equal(listed.length, cells.length);
  for (const cell of cells.slice(0, 20)) {
    assert.ok(
      listed.some((line) => /^ {2}\[(chromium|msedge|firefox|webkit)\] /.test(line) && line.endsWith(cellTitle(cell))),
      cellTitle(cell),
    );
  }
  assert.match(result.stdout, new RegExp(`Total: ${cells.length} tests`));
});

test('a proxy named in NETWORK_PATHS becomes a network value, and its cells’ traffic goes through it', async () => {
  const hosts: string[] = [];
  const proxy = new Server({
    port: 0,
    host: '127.0.0.1',
    prepareRequestFunction: ({ hostname, port }) => {
      hosts.push(`${hostname}:${port}`);
      return {};
    },
  });
  await proxy.listen();
  try {
    const result = await runSuite(['tests/matrix.spec.ts', '--grep', '· probe-path', '--reporter', 'line'], {
      MATRIX: 'smoke',
      NETWORK_PATHS: `probe-path=http://127.0.0.1:${proxy.port}`,
      LAB_PORT: '4760',
      CI: '1',
    });
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /1 passed/);
    assert.ok(
      hosts.some((host) => host === 'localhost:4761'),
      `the web app was reached through the proxy: ${hosts.join(', ')}`,
    );
    assert.ok(
      hosts.some((host) => host === '127.0.0.1:4760'),
      'the identity provider was reached through the proxy',
    );
  } finally {
    await proxy.close(true);
  }
});

test('--shard=1/2 and --shard=2/2 together list exactly the unsharded tests, none twice', () => {
  const list = (...extra: string[]) => {
    const result = spawnSync(process.execPath, [...PLAYWRIGHT, '--list', ...extra], {
      env: { ...process.env, MATRIX: 'pairwise' },
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout
      .split('\n')
      .filter((line) => line.startsWith('  ['))
      .map((line) => line.replace(/:\d+:\d+ › /, ' › ').trim());
  };
  const all = list();
  const first = list('--shard=1/2');
  const second = list('--shard=2/2');
  assert.ok(first.length > 0 && second.length > 0);
  assert.deepEqual([...first, ...second].sort(), [...all].sort());
  assert.equal(new Set([...first, ...second]).size, all.length);
});

test('each bad setting stops the run in under 5 s, named in one message with no stack trace, before anything starts', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-bad-settings-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const badAccounts = path.join(dir, 'accounts.json');
  writeFileSync(badAccounts, '[{"email": "ada@outlook.com", "password": ');
  const badProfile = path.join(dir, 'profile.json');
  writeFileSync(badProfile, JSON.stringify({ name: 'Bad Name', app: { url: 'not a url' } }));
  const summary = 'reports/matrix-summary.json';
  const before = existsSync(summary) ? readFileSync(summary, 'utf8') : undefined;
  const cases: [Record<string, string>, RegExp][] = [
    [{ LAB_FAULTS: 'nope' }, /LAB_FAULTS="nope": unknown fault id "nope"; known faults: replica-lag/],
    [{ ACCOUNTS_FILE: badAccounts }, /ACCOUNTS_FILE .*accounts\.json is not valid:\n\s+- it is not JSON/],
    [
      { TARGET: badProfile, ACCOUNTS_FILE: 'examples/accounts.json' },
      /TARGET=.*profile\.json: target profile .* is not valid:\n\s+- name: must be a lower-case name/,
    ],
    [{ MATRIX: 'bogus' }, /MATRIX must be smoke, pairwise or full \(got "bogus"\)/],
    [{ NETWORK_PATHS: 'office vpn' }, /NETWORK_PATHS entry "office vpn" must be name=http:\/\/host:port/],
  ];
  for (const [env, problem] of cases) {
    const run = await runSuite(['tests/matrix.spec.ts'], { ...env, LAB_PORT: '4960', CI: '1' });
    const what = JSON.stringify(env);
    assert.notEqual(run.status, 0, what);
    assert.match(run.output, problem, what);
    assert.equal(run.output.match(/authmatrix settings are not valid/g)?.length, 1, `${what}: one message\n${run.output}`);
    assert.doesNotMatch(run.output, /^\s+at .+:\d+:\d+\)?$/m, `${what}: no stack trace\n${run.output}`);
    assert.doesNotMatch(run.output, /WebServer|Running \d+ test/, `${what}: nothing started`);
    assert.ok(run.ms < 5_000, `${what} took ${run.ms} ms`);
  }
  assert.equal(existsSync(summary) ? readFileSync(summary, 'utf8') : undefined, before, 'the last summary is as it was');
});

test('each process of a run reads its settings once: the runner (config and global setup) and every worker (spec and fixtures)', async () => {
  const result = await runSuite(['tests/matrix.spec.ts', '--grep', '@ios-app|@windows-chrome', '--workers', '2'], {
    MATRIX: 'smoke',
    AUTHMATRIX_SETTINGS_LOADS: '1',
  });
  assert.equal(result.status, 0, result.output);
  const reads = [...result.output.matchAll(/settings read (\d+) time\(s\) in process (\d+)/g)];
  assert.ok(reads.length >= 2, `the runner and at least one worker reported: ${reads.length}`);
  for (const [line, times] of reads) assert.equal(times, '1', line);
});

test('settings are read again only when what they are read from changes', () => {
  const before = settingsParses();
  const first = loadSettings();
  assert.equal(loadSettings(), first);
  assert.equal(settingsParses(), before + 1);
  process.env.MATRIX = first.matrix === 'smoke' ? 'pairwise' : 'smoke';
  try {
    assert.notEqual(loadSettings().matrix, first.matrix);
    assert.equal(settingsParses(), before + 2);
  } finally {
    delete process.env.MATRIX;
  }
});
