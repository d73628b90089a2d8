/**
 * The lab's settings, read once from the environment and validated with messages that name the
 * variable, the value seen and the form expected.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseFaultList, UnknownFaultError, type FaultId } from './faults.ts';
import { UPSTREAM_NAMES, type UpstreamName } from './upstreams.ts';

/** A real OpenID Provider the broker federates to in place of one of the lab's own upstreams. */
export interface UpstreamSetting {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The scopes the broker asks it for. */
  scope: string;
  /** The target profile (a shipped name or a path) whose `screens` describe its sign-in pages. */
  screensFrom: string;
}

const required = (message: string) => z.string({ error: message }).min(1, message);
const UpstreamSettingSchema = z.strictObject({
  issuer: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL of an OpenID Provider' }),
  clientId: required('must be the client_id the provider registered for the broker'),
  clientSecret: required('must be that client’s secret'),
  scope: z.string().min(1).default('openid email profile'),
  screensFrom: required('must name the target profile that describes its screens (a shipped name such as django-idp, or a path)'),
});

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
  /** LAB_UPSTREAMS: real providers that stand in for the lab's own upstreams, by name. */
  upstreams: Partial<Record<UpstreamName, UpstreamSetting>>;
}

/** LAB_UPSTREAMS, a JSON object `{"microsoft": {"issuer", "clientId", "clientSecret", "scope"?, "screensFrom"}}`. */
function parseUpstreams(text: string | undefined, problems: string[]): LabSettings['upstreams'] {
  if (text === undefined || text.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // JSON.parse's message quotes the text around the mistake, which may hold a client secret: only where it is.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    problems.push(
      `LAB_UPSTREAMS is not JSON${at === undefined ? '' : ` (at character ${at})`}; give {"microsoft": {"issuer": …, "clientId": …, "clientSecret": …, "screensFrom": …}}`,
    );
    return {};
  }
  const parsed = z.partialRecord(z.enum(UPSTREAM_NAMES), UpstreamSettingSchema).safeParse(json);
  if (!parsed.success) {
    problems.push(
      ...parsed.error.issues.map((issue) =>
        issue.code === 'unrecognized_keys' && issue.path.length === 0
          ? `LAB_UPSTREAMS: ${issue.keys.map((key) => JSON.stringify(key)).join(', ')} is not an upstream of the lab (${UPSTREAM_NAMES.join(', ')})`
          : `LAB_UPSTREAMS${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`,
      ),
    );
    return {};
  }
  return parsed.data;
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
  LAB_UPSTREAMS: z.string().optional(),
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
  const upstreams = parseUpstreams(env.LAB_UPSTREAMS, problems);
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
    upstreams,
  };
}
