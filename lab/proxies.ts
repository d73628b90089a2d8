/**
 * Entry points: real forward proxies (proxy-chain) that a browser context or a native client can
 * be pointed at. Each leaves from its own loopback address, which is how the lab's gateway knows
 * which entry point a request came through, as a load balancer knows its edges by their addresses.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Server } from 'proxy-chain';
import type { EntryPoint } from './context.ts';

export interface EntryPointSpec {
  readonly name: Exclude<EntryPoint, 'direct'>;
  readonly localAddress: string;
  /** Added before each request is forwarded: a longer network path. */
  readonly latencyMs: number;
}

export const ENTRY_POINT_SPECS: readonly EntryPointSpec[] = [
  { name: 'edge-east', localAddress: '127.0.0.2', latencyMs: 0 },
  { name: 'edge-west', localAddress: '127.0.0.3', latencyMs: 150 },
  { name: 'corporate', localAddress: '127.0.0.4', latencyMs: 20 },
];

export function entryForAddress(address: string | undefined): EntryPoint {
  const plain = (address ?? '').replace(/^::ffff:/, '');
  return ENTRY_POINT_SPECS.find((spec) => spec.localAddress === plain)?.name ?? 'direct';
}

export interface RunningProxy {
  readonly name: EntryPointSpec['name'];
  readonly url: string;
  close(): Promise<void>;
}

export async function startEntryPoint(spec: EntryPointSpec, port: number): Promise<RunningProxy> {
  const server = new Server({
    port,
    host: '127.0.0.1',
    verbose: false,
    async prepareRequestFunction() {
      if (spec.latencyMs > 0) await delay(spec.latencyMs);
      return { localAddress: spec.localAddress };
    },
  });
  await server.listen();
  return {
    name: spec.name,
    url: `http://127.0.0.1:${server.port}`,
    close: () => server.close(true),
  };
}
