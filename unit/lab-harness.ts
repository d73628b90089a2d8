/** Starts a lab in-process on free ports for the project's own tests. */
import { startLab, type Lab } from '../lab/lab.ts';
import type { FaultId } from '../lab/faults.ts';

export const TEST_ADMIN_TOKEN = 'unit-test-admin-token-0123456789';

export function startTestLab(options: { faults?: FaultId[]; replicaLagMs?: number } = {}): Promise<Lab> {
  return startLab({
    port: 0,
    adminToken: TEST_ADMIN_TOKEN,
    adminTokenGenerated: false,
    faults: options.faults ?? [],
    replicaLagMs: options.replicaLagMs ?? 0,
    clientLeewaySeconds: 300,
    quiet: true,
    upstreams: {},
    parentPid: undefined,
  });
}

export async function admin(
  lab: Lab,
  method: string,
  path: string,
  body?: unknown,
  token = TEST_ADMIN_TOKEN,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${lab.urls.admin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
