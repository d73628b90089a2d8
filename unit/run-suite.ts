/** The suite as a user runs it: `npx playwright test` in a child process, its output and exit code kept. */
import { spawn } from 'node:child_process';

export interface SuiteRun {
  status: number | null;
  output: string;
  ms: number;
}

/** Runs `playwright test ARGS` without blocking this process (which may serve what the suite reaches). */
export function runSuite(args: readonly string[], env: Record<string, string>): Promise<SuiteRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (status) => resolve({ status, output, ms: Date.now() - started }));
  });
}
