import assert from 'node:assert/strict';
import { test } from 'node:test';
import { headedRun, QUIET_CHROMIUM_ARGS, resolveBrowser } from '../browsers/browser.ts';
import { ensureBrowser, NoBrowserError } from '../browsers/browser-install.ts';

test("Playwright's own Chromium comes first when it is installed", () => {
  const choice = resolveBrowser({ playwrightPath: () => '/pw/chrome', candidates: ['/bin/sh'] });
  assert.deepEqual(choice, { kind: 'playwright', executablePath: '/pw/chrome' });
});

test('else a system Chromium, launched with the quiet flags', () => {
  const choice = resolveBrowser({ playwrightPath: () => undefined, shellCandidates: [], candidates: ['/no/such/chromium', '/bin/sh'] });
  assert.equal(choice.kind, 'system');
  assert.ok(choice.kind === 'system');
  assert.equal(choice.executablePath, '/bin/sh');
  for (const flag of QUIET_CHROMIUM_ARGS) assert.ok(choice.args.includes(flag));
});

test('BROWSER_EXECUTABLE wins over everything', () => {
  const choice = resolveBrowser({ browserExecutable: '/opt/chrome', playwrightPath: () => '/pw/chrome' });
  assert.equal(choice.kind === 'system' && choice.executablePath, '/opt/chrome');
});

test('with no browser: Playwright download, then apt as root, and the browser found after apt is used', () => {
  const calls: string[] = [];
  let installed = false;
  const choice = ensureBrowser({
    isRoot: true,
    hasApt: true,
    log: () => undefined,
    resolve: () => (installed ? { kind: 'system', executablePath: '/usr/bin/chromium', args: [] } : { kind: 'missing' }),
    runner: (command, args) => {
      calls.push(`${command === process.execPath ? 'node' : command} ${args.slice(-2).join(' ')}`);
      if (command === 'apt-get' && args.includes('install')) installed = true;
      return { ok: command === 'apt-get', detail: command === 'apt-get' ? '' : 'Download failure' };
    },
  });
  assert.equal(choice.kind, 'system');
  assert.deepEqual(calls, ['node install chromium', 'apt-get update -qq', 'apt-get -qq chromium', 'apt-get -qq chromium-headless-shell']);
});

test("a headless run takes the system's headless shell over its full Chromium; a headed run, the full one", () => {
  const options = { playwrightPath: () => undefined, shellCandidates: ['/no/such/shell', '/bin/true'], candidates: ['/bin/sh'] };
  const headless = resolveBrowser(options);
  assert.equal(headless.kind === 'system' && headless.executablePath, '/bin/true');
  const headed = resolveBrowser({ ...options, headed: true });
  assert.equal(headed.kind === 'system' && headed.executablePath, '/bin/sh');
  const noShell = resolveBrowser({ ...options, shellCandidates: ['/no/such/shell'] });
  assert.equal(noShell.kind === 'system' && noShell.executablePath, '/bin/sh');
});

test("Playwright's own Chromium still comes before a system headless shell", () => {
  const choice = resolveBrowser({ playwrightPath: () => '/pw/chrome', shellCandidates: ['/bin/true'], candidates: ['/bin/sh'] });
  assert.deepEqual(choice, { kind: 'playwright', executablePath: '/pw/chrome' });
});

test('with no browser, no download and no root: one error naming the commands to run', () => {
  assert.throws(
    () =>
      ensureBrowser({
        isRoot: false,
        hasApt: true,
        log: () => undefined,
        resolve: () => ({ kind: 'missing' }),
        runner: () => ({ ok: false, detail: 'Download failure' }),
      }),
    (error: unknown) =>
      error instanceof NoBrowserError &&
      error.message.includes('npx playwright install --with-deps chromium') &&
      error.message.includes('apt-get install -y chromium') &&
      error.message.includes('BROWSER_EXECUTABLE') &&
      error.message.includes('apt-get: needs root'),
  );
});

test('a run is headed with --headed, --ui, --debug or PWDEBUG, decided once for the workers to inherit', () => {
  for (const argv of [
    ['node', 'playwright', 'test', '--headed'],
    ['node', 'playwright', 'test', '--ui'],
    ['node', 'playwright', 'test', '--debug'],
  ]) {
    const env: NodeJS.ProcessEnv = {};
    assert.equal(headedRun(argv, env), true, argv.join(' '));
    assert.equal(env.AUTHMATRIX_HEADED, '1');
  }
  assert.equal(headedRun(['node', 'playwright', 'test'], { PWDEBUG: '1' }), true);
  const env: NodeJS.ProcessEnv = {};
  assert.equal(headedRun(['node', 'playwright', 'test'], env), false);
  assert.equal(env.AUTHMATRIX_HEADED, '0');
  // A worker's own command line says nothing: it keeps the runner's decision.
  assert.equal(headedRun(['node', 'worker.js'], { AUTHMATRIX_HEADED: '1' }), true);
});
