/**
 * The lab's settings, read once from the environment and validated with messages that name the
 * variable, the value seen and the form expected.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseFaultList, UnknownFaultError, type FaultId } from './faults.ts';

export interface LabSettings {
  /** First of the lab's ports (issuer); the others follow it. 0 picks free ports. */
  port: number;
  adminToken: string;
  adminTokenGenerated: boolean;
  faults: FaultId[];
  replicaLagMs: number;
  clientLeewaySeconds: number;
  quiet: boolean;
  /** LAB_PARENT_PID: a process the lab stops with (the run that started it), so that a run killed outright leaves no lab behind. */
  parentPid: number | undefined;
}

export class LabSettingsError extends Error {
  constructor(problems: string[]) {
    super(`the lab cannot start:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'LabSettingsError';
  }
}

const intIn = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
        ctx.addIssue({ code: 'custom', message: `${name}=${JSON.stringify(value)} must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return parsed;
    });

const Schema = z.object({
  LAB_PORT: intIn('LAB_PORT', 0, 65_000, 4700),
  LAB_REPLICA_LAG_MS: intIn('LAB_REPLICA_LAG_MS', 0, 600_000, 0),
  LAB_CLIENT_LEEWAY_S: intIn('LAB_CLIENT_LEEWAY_S', 0, 3600, 300),
  LAB_ADMIN_TOKEN: z.string().optional(),
  LAB_FAULTS: z.string().optional(),
  LAB_QUIET: z.string().optional(),
  LAB_PARENT_PID: intIn('LAB_PARENT_PID', 0, 4_194_304, 0),
});

export function readLabSettings(env: NodeJS.ProcessEnv = process.env): LabSettings {
  const problems: string[] = [];
  const parsed = Schema.safeParse(env);
  if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => issue.message));
  let faults: FaultId[] = [];
  try {
    faults = parseFaultList(env.LAB_FAULTS);
  } catch (error) {
    if (error instanceof UnknownFaultError) problems.push(`LAB_FAULTS: ${error.message}`);
    else throw error;
  }
  const token = env.LAB_ADMIN_TOKEN?.trim();
  if (token !== undefined && token !== '' && token.length < 16)
    problems.push('LAB_ADMIN_TOKEN must be at least 16 characters, or unset for a random one per start');
  if (problems.length || !parsed.success) throw new LabSettingsError(problems);
  const data = parsed.data;
  return {
    port: data.LAB_PORT,
    adminToken: token || randomBytes(24).toString('base64url'),
    adminTokenGenerated: !token,
    faults,
    replicaLagMs: data.LAB_REPLICA_LAG_MS,
    clientLeewaySeconds: data.LAB_CLIENT_LEEWAY_S,
    quiet: /^(1|true|yes)$/i.test(data.LAB_QUIET ?? ''),
    parentPid: data.LAB_PARENT_PID || undefined,
  };
}
