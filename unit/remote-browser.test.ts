/**
 * PW_WS_ENDPOINT: the smoke tier runs against the lab with its browsers served by
 * `npx playwright run-server` on loopback, as a grid or a cloud browser service would serve them.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { chromium } from '@playwright/test';
import { resolveBrowser } from '../browsers/browser.ts';
import { stopProcess } from '../scripts/processes.ts';

const PLAYWRIGHT_CLI = 'node_modules/@playwright/test/cli.js';

/**
 * The server launches its own Playwright browsers. Where only a system Chromium is installed (as
 * here), it is offered to the server at the path Playwright expects, in a browsers folder of its own.
 */
function browsersPathForServer(): string | undefined {
  if (existsSync(chromium.executablePath())) return undefined;
  const choice = resolveBrowser({ browserExecutable: process.env.BROWSER_EXECUTABLE });
  if (choice.kind !== 'system') return undefined;
  const home = process.env.PLAYWRIGHT_BROWSERS_PATH ?? path.join(process.env.HOME ?? '/root', '.cache', 'ms-playwright');
  // chromium-<revision>/chrome-linux64/chrome, and the headless shell headless runs use.
  const full = path.relative(home, chromium.executablePath());
  const revision = /chromium-(\d+)/.exec(full)?.[1] ?? '';
  const shell = path.join(`chromium_headless_shell-${revision}`, 'chrome-headless-shell-linux64', 'chrome-headless-shell');
  const root = mkdtempSync(path.join(tmpdir(), 'authmatrix-browsers-'));
  for (const relative of [full, shell]) {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    symlinkSync(choice.executablePath, path.join(root, relative));
  }
  return root;
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`run-server did not print ${String(pattern)} within ${timeoutMs} ms: ${seen}`)),
      timeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`run-server exited with ${code}: ${seen}`));
    });
  });
}

test('the smoke tier passes with browsers from a Playwright server (PW_WS_ENDPOINT)', { timeout: 180_000 }, async () => {
  const browsersPath = browsersPathForServer();
  const server = spawn(process.execPath, [PLAYWRIGHT_CLI, 'run-server', '--port', '4798', '--host', '127.0.0.1'], {
    env: { ...process.env, ...(browsersPath ? { PLAYWRIGHT_BROWSERS_PATH: browsersPath } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await waitForOutput(server, /Listening on ws:\/\/127\.0\.0\.1:4798/);
    const result = await new Promise<{ status: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, [PLAYWRIGHT_CLI, 'test', 'tests/matrix.spec.ts'], {
        env: { ...process.env, MATRIX: 'smoke', PW_WS_ENDPOINT: 'ws://127.0.0.1:4798/', LAB_PORT: '4750', CI: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', (status) => resolve({ status, output }));
    });
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /All 7 cells of the smoke tier passed/);
  } finally {
    // Its graceful close has been seen to hang; SIGKILL follows after 5 s.
    await stopProcess(server);
  }
});
