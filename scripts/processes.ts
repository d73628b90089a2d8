/**
 * The child processes the project starts, each started one way: the lab (`lab/main.ts`, as
 * `npm run lab` and the Playwright config's webServer run it) and the suite (`playwright test`, as a
 * user runs it). The drill, the bench, the load test and the project's own tests use these.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describeHolder, portHolder, portListening, stopHint } from '../lab/ports.ts';

/** The lab's command line: what `npm run lab` and the Playwright config's webServer run. */
export const LAB_ARGS = ['--import', 'tsx', 'lab/main.ts'] as const;
export const LAB_COMMAND = `node ${LAB_ARGS.join(' ')}`;

const PLAYWRIGHT_CLI = 'node_modules/@playwright/test/cli.js';

/** The children this process started and has not seen end: a signal to this process stops them first. */
const running = new Set<ChildProcess>();
let signalsHandled = false;

/**
 * A command stopped with SIGINT or SIGTERM (Ctrl-C, a CI job cancelled) stops its children first
 * (a Playwright run stops as on Ctrl-C: its lab and browsers go with it) and exits 130 or 143, so
 * that no lab or suite outlives the command that started it.
 */
function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (signalsHandled) return;
  signalsHandled = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    process.once(signal, () => {
      process.stderr.write(`authmatrix: ${signal}: stopping ${running.size} child process(es)\n`);
      void Promise.all([...running].map((one) => stopProcess(one))).finally(() => process.exit(code));
    });
}

/** The lab's nine ports, from LAB_PORT on, by what each serves. */
const LAB_PORT_ROLES = [
  'issuer',
  'web app',
  'SMTP',
  'edge-east',
  'edge-west',
  'corporate',
  'Microsoft upstream',
  'Google upstream',
  "broker's egress",
] as const;

/**
 * Whether a run can start its lab on `base`..`base + 8`, read before it starts one: a problem when
 * another process holds any of them (named with its PID, and a stray lab named as one) and the run
 * cannot reuse it; `reusedPid` when a whole lab is there for the run to reuse (outside CI).
 */
export function labPortsPreflight(base: number, reuse: boolean): { problem?: string; reusedPid?: number } {
  const held = LAB_PORT_ROLES.map((role, offset) => ({ role, port: base + offset })).filter(({ port }) => portListening(port));
  if (held.length === 0) return {};
  const holders = held.map((entry) => ({ ...entry, holder: portHolder(entry.port) }));
  const first = holders[0] as (typeof holders)[number];
  const oneLab = holders.length === LAB_PORT_ROLES.length && holders.every(({ holder }) => holder?.lab && holder.pid === first.holder?.pid);
  if (oneLab && reuse) return { reusedPid: first.holder?.pid ?? 0 };
  const ports = holders.map(({ port, role }) => `${port} (${role})`).join(', ');
  const why = oneLab
    ? 'a CI run never reuses a lab it did not start'
    : `the lab this run starts needs ports ${base}–${base + LAB_PORT_ROLES.length - 1}`;
  return {
    problem:
      `authmatrix: port${holders.length > 1 ? 's' : ''} ${ports} ${holders.length > 1 ? 'are' : 'is'} held by ${describeHolder(first.holder)}, and ${why}. ` +
      `${stopHint(first.holder).replace(/^s/, 'S')}, or set LAB_PORT to another base port (nine free ports from it).`,
  };
}

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
  const child = spawn(process.execPath, [...LAB_ARGS], {
    // The lab ends with this process even when this one is killed outright.
    env: { LAB_PARENT_PID: String(process.pid), ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
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
  /** Called with each line the run prints on stdout (its reporter's lines), whatever `output` does with them. */
  onLine?: (line: string) => void;
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
            : ['ignore', options.onLine ? 'pipe' : 'ignore', 'inherit'],
    });
    track(child);
    options.onSpawn?.(child);
    let output = '';
    if (mode === 'capture') child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const { onLine } = options;
    if (onLine && child.stdout) createInterface({ input: child.stdout }).on('line', onLine);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (status) => resolve({ status, output, ms: Date.now() - started }));
  });
}
