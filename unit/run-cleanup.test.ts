/**
 * A run cleans up after itself and says once why it cannot start: stopped by SIGTERM or killed
 * outright it leaves no lab and no port behind; a browser that cannot start, a port another
 * process holds (a stray lab named as one) and an engine not installed each stop it before any
 * test with one message, emptying nothing.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { portListening } from '../lab/ports.ts';
import { detectEngines } from '../browsers/engines.ts';
import { runSuite, startLabProcess } from '../scripts/processes.ts';

const PLAYWRIGHT = 'node_modules/@playwright/test/cli.js';

/** The labs a run started: the processes whose LAB_PARENT_PID is the run's. */
function labsOf(runner: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`LAB_PARENT_PID=${runner}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const freePorts = (base: number) => [0, 1, 2, 3, 4, 5].filter((offset) => portListening(base + offset));

/** Starts `playwright test` and resolves once its output says `marker`. */
function startRun(env: NodeJS.ProcessEnv, marker: RegExp): { child: ChildProcess; reached: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [PLAYWRIGHT, 'test', 'tests/matrix.spec.ts', '--workers', '1'], {
    env: { ...process.env, MATRIX: 'smoke', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const reached = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (marker.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the run ended (${code}) before ${marker}:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, reached, exited };
}

/** Resolves once `check` holds, checking every 100 ms; rejects after `withinMs`. */
async function until(check: () => boolean, withinMs: number, what: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a run stopped by SIGTERM mid-way stops its lab: no lab process, ports 4700–4705 free', { timeout: 120_000 }, async (t) => {
  if (freePorts(4700).length) return t.skip('ports 4700–4705 are taken before the test: nothing to judge');
  const run = startRun({ CI: '1', LAB_PORT: '4700' }, /Running \d+ tests?/);
  await run.reached;
  assert.ok(labsOf(run.child.pid ?? 0).length > 0, 'the run started its lab');
  run.child.kill('SIGTERM');
  const code = await run.exited;
  assert.notEqual(code, 0);
  assert.deepEqual(labsOf(run.child.pid ?? 0), [], 'no lab left');
  assert.deepEqual(freePorts(4700), [], 'ports 4700–4705 free');
});

test('a run killed outright (SIGKILL) leaves no lab: the lab follows its parent within seconds', { timeout: 120_000 }, async () => {
  const run = startRun({ CI: '1', LAB_PORT: '4940' }, /Running \d+ tests?/);
  await run.reached;
  const runner = run.child.pid ?? 0;
  assert.ok(labsOf(runner).length > 0, 'the run started its lab');
  run.child.kill('SIGKILL');
  await run.exited;
  await until(() => labsOf(runner).length === 0 && freePorts(4940).length === 0, 10_000, 'the lab stopping');
});

test('a browser that cannot start stops the run in global setup, in under 10 s, with one message, leaving nothing and emptying nothing', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-no-browser-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'allure-results'), { recursive: true });
  writeFileSync(path.join(dir, 'allure-results', 'earlier-result.json'), '{}');
  const run = await runSuite(['tests/matrix.spec.ts'], {
    BROWSER_EXECUTABLE: '/bin/false',
    MATRIX: 'smoke',
    LAB_PORT: '4930',
    CI: '1',
    AUTHMATRIX_OUTPUT: dir,
  });
  assert.notEqual(run.status, 0);
  assert.ok(run.ms < 10_000, `took ${run.ms} ms`);
  assert.equal(run.output.match(/did not start/g)?.length, 1, run.output);
  assert.match(run.output, /the browser \/bin\/false did not start: it exited with code 1 and printed nothing/);
  assert.doesNotMatch(run.output, /^\s+at .+:\d+:\d+\)?$/m, `no stack trace\n${run.output}`);
  assert.doesNotMatch(run.output, /Running \d+ test/);
  assert.ok(existsSync(path.join(dir, 'allure-results', 'earlier-result.json')), 'the last run’s results are kept');
  assert.deepEqual(freePorts(4930), [], 'the lab it started is stopped');
});

test('a port held by a stray lab is named as such, with its PID; any other holder by its PID', { timeout: 60_000 }, async (t) => {
  const stray = await startLabProcess({ LAB_PORT: '4950', LAB_ADMIN_TOKEN: 'a-stray-labs-own-token-0123', LAB_QUIET: '1' });
  t.after(() => stray.stop());
  const pid = stray.child.pid ?? 0;
  // CI never reuses a lab; outside CI the run reuses it, and global setup names it when it refuses the run's token.
  const inCi = await runSuite(['tests/matrix.spec.ts'], { LAB_PORT: '4950', CI: '1', MATRIX: 'smoke' });
  assert.equal(inCi.status, 2);
  assert.match(inCi.output, new RegExp(`ports 4950 \\(issuer\\), .* are held by a stray authmatrix lab \\(PID ${pid}: `));
  assert.match(inCi.output, new RegExp(`Stop it \\(kill ${pid}\\), or set LAB_PORT`));
  const reused = await runSuite(['tests/matrix.spec.ts'], { LAB_PORT: '4950', CI: undefined, MATRIX: 'smoke', LAB_ADMIN_TOKEN: undefined });
  assert.notEqual(reused.status, 0);
  assert.match(
    reused.output,
    new RegExp(`a stray authmatrix lab \\(PID ${pid}\\) this run did not start, and it refuses this run's admin token`),
  );
  assert.doesNotMatch(reused.output, /Running \d+ test/);

  const other = createServer();
  await new Promise<void>((resolve) => other.listen(4963, '127.0.0.1', resolve));
  t.after(() => other.close());
  const held = await runSuite(['tests/matrix.spec.ts'], { LAB_PORT: '4960', CI: '1', MATRIX: 'smoke' });
  assert.equal(held.status, 2);
  assert.match(held.output, new RegExp(`port 4963 \\(edge-east\\) is held by PID ${process.pid} \\(`));
});

test('--project for an engine not installed names the command that installs it', async (t) => {
  if (detectEngines().webkit) return t.skip('WebKit is installed here');
  const run = await runSuite(['--project=webkit'], { CI: '1' });
  assert.equal(run.status, 2);
  assert.match(run.output, /--project=webkit: webkit is not installed on this machine/);
  assert.match(run.output, /npx playwright install webkit/);
  assert.doesNotMatch(run.output, /Available projects/);
});
