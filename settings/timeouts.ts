/**
 * How long the suite waits, scaled to the machine it runs on. A busy machine (a shared CI runner,
 * three runs on two cores) makes every step slower; timeouts sized for a quiet one would turn that
 * into red cells that say nothing about the target. The scale is TIMEOUT_SCALE when set, else
 * measured once per run, in the main process, before any worker starts: the share of CPU time this
 * process gets while it works (wall time over CPU time of a short fixed workload: ~1 on an idle
 * machine, ~1.5 when a hog per core competes for it, more when more do). The load average is
 * reported beside it, not used: it lags a minute behind, so a run started right after another (the
 * drill's) would read the last run's load as its own. Workers read the run's scale from the
 * environment, so all agree.
 */
import { createHash } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';

/** The environment variable that carries the run's scale to its workers. */
export const TIMEOUT_SCALE_ENV = 'AUTHMATRIX_TIMEOUT_SCALE';
const TIMEOUT_SCALE_WHY_ENV = 'AUTHMATRIX_TIMEOUT_SCALE_WHY';
export const MAX_TIMEOUT_SCALE = 5;

export interface TimeoutScale {
  scale: number;
  /** Where the scale came from, for the run's header line. */
  why: string;
}

/** Wall time over this process's CPU time for a fixed ~20 ms workload: 1 when the CPU is ours, more when it is shared. */
function cpuShareSample(): number {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  let digest = Buffer.alloc(32);
  for (let round = 0; round < 20_000; round += 1) digest = createHash('sha256').update(digest).digest();
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return (performance.now() - wallStart) / Math.max(cpuMs, 1);
}

/** The machine's contention now: the median of five samples of the CPU share, and the load per core. */
export function measureContention(): { cpuShare: number; loadPerCore: number } {
  const samples = Array.from({ length: 5 }, cpuShareSample).sort((a, b) => a - b);
  return { cpuShare: samples[2] ?? 1, loadPerCore: (loadavg()[0] ?? 0) / availableParallelism() };
}

/**
 * The scale for a contention reading: 1 on a quiet machine; else twice the CPU share (the run's own
 * browsers and lab compete on top of what the reading saw), rounded up in halves, at most
 * MAX_TIMEOUT_SCALE.
 */
export function scaleFor(contention: { cpuShare: number }): number {
  // Below 1.2 the machine is ours: no scaling, so a quiet run keeps its tight timeouts.
  if (contention.cpuShare < 1.2) return 1;
  return Math.min(MAX_TIMEOUT_SCALE, Math.ceil(contention.cpuShare * 4) / 2);
}

/**
 * The run's timeout scale: TIMEOUT_SCALE when the user set it, else the one the main process
 * measured (inherited through the environment), else measured now and handed to the workers.
 */
export function resolveTimeoutScale(configured: number | undefined): TimeoutScale {
  const decided = decideTimeoutScale(configured);
  Object.assign(process.env, timeoutScaleEnv(decided));
  return decided;
}

/** The scale resolveTimeoutScale would take, without handing it on: for a process that starts runs (triage's rounds). */
export function decideTimeoutScale(configured: number | undefined, env: NodeJS.ProcessEnv = process.env): TimeoutScale {
  if (configured !== undefined) return { scale: configured, why: 'TIMEOUT_SCALE' };
  const inherited = Number(env[TIMEOUT_SCALE_ENV]);
  if (Number.isFinite(inherited) && inherited >= 1) return { scale: inherited, why: env[TIMEOUT_SCALE_WHY_ENV] ?? 'measured' };
  const contention = measureContention();
  return {
    scale: scaleFor(contention),
    why: `measured: CPU share ${contention.cpuShare.toFixed(2)}, load ${contention.loadPerCore.toFixed(2)} per core`,
  };
}

/** The environment that hands a scale to the workers, or to the runs a process starts. */
export function timeoutScaleEnv(scale: TimeoutScale): Record<string, string> {
  return { [TIMEOUT_SCALE_ENV]: String(scale.scale), [TIMEOUT_SCALE_WHY_ENV]: scale.why };
}

/** `ms` scaled by the run's timeout scale (1 outside a run). */
export function scaled(ms: number): number {
  const scale = Number(process.env[TIMEOUT_SCALE_ENV]);
  return Math.round(ms * (Number.isFinite(scale) && scale >= 1 ? scale : 1));
}

/** How long a client waits for the token endpoint's answer, before scaling (TOKEN_REQUEST_TIMEOUT). */
export const TOKEN_REQUEST_TIMEOUT_MS = 20_000;
