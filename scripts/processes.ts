/**
 * The child processes the project starts, each started one way: the lab (`lab/main.ts`, as
 * `npm run lab` and the Playwright config's webServer run it) and the suite (`playwright test`, as a
 * user runs it). The drill, the bench, the load test and the project's own tests use these.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** The lab's command line: what `npm run lab` and the Playwright config's webServer run. */
export const LAB_ARGS = ['--import', 'tsx', 'lab/main.ts'] as const;
export const LAB_COMMAND = `node ${LAB_ARGS.join(' ')}`;

const PLAYWRIGHT_CLI = 'node_modules/@playwright/test/cli.js';

/** Stops a child: SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves with its exit code. */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

export interface LabProcess {
  /** The lab's `lab.ready` line. */
  readonly ready: Record<string, unknown>;
  /** From spawning to the ready line. */
  readonly readyMs: number;
  readonly child: ChildProcess;
  /** Stops the lab (SIGTERM, then SIGKILL after 5 s); resolves with its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the lab in a child process, with this process's environment and `env` over it (a key
 * set to undefined is left out), and resolves once the lab has printed its ready line.
 */
export function startLabProcess(env: NodeJS.ProcessEnv = {}): Promise<LabProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, [...LAB_ARGS], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4_000)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    const onExit = (code: number | null) =>
      reject(new Error(`the lab exited with ${code} before it was ready${stderr ? `: ${stderr.trim()}` : ''}`));
    child.once('exit', onExit);
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((candidate) => candidate.includes('"lab.ready"'));
      if (!line) return;
      child.off('exit', onExit);
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        ready: JSON.parse(line) as Record<string, unknown>,
        readyMs: performance.now() - started,
        child,
        stop: () => stopProcess(child),
      });
    });
  });
}

export interface SuiteRun {
  status: number | null;
  /** stdout and stderr, interleaved, when `output` is 'capture'. */
  output: string;
  ms: number;
}

export interface SuiteRunOptions {
  /**
   * 'capture' keeps stdout and stderr in `output` (the default); 'inherit' passes stderr through
   * and drops stdout; 'terminal' passes both through.
   */
  output?: 'capture' | 'inherit' | 'terminal';
  /** Called with the child once it is spawned (to sample its memory, say). */
  onSpawn?: (child: ChildProcess) => void;
}

/**
 * Runs `playwright test ARGS` in a child process, with this process's environment and `env` over
 * it (a key set to undefined is left out), without blocking this process (which may serve what
 * the suite reaches).
 */
export function runSuite(args: readonly string[], env: NodeJS.ProcessEnv = {}, options: SuiteRunOptions = {}): Promise<SuiteRun> {
  return runPlaywright(['test', ...args], env, options);
}

/** Runs `playwright ARGS` (`merge-reports`, say) as `runSuite` runs `playwright test`. */
export function runPlaywright(args: readonly string[], env: NodeJS.ProcessEnv = {}, options: SuiteRunOptions = {}): Promise<SuiteRun> {
  const started = Date.now();
  const mode = options.output ?? 'capture';
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PLAYWRIGHT_CLI, ...args], {
      env: { ...process.env, ...env },
      stdio:
        mode === 'capture'
          ? ['ignore', 'pipe', 'pipe']
          : mode === 'terminal'
            ? ['ignore', 'inherit', 'inherit']
            : ['ignore', 'ignore', 'inherit'],
    });
    options.onSpawn?.(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (status) => resolve({ status, output, ms: Date.now() - started }));
  });
}
