/**
 * Entry points: real forward proxies (proxy-chain) that a browser context or a native client can
 * be pointed at. Each leaves from its own loopback address, which is how the lab's gateway knows
 * which entry point a request came through, as a load balancer knows its edges by their addresses.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { IncomingMessage } from 'node:http';
import { RequestError, Server, type PrepareRequestFunctionResult } from 'proxy-chain';
import { Agent, fetch as undiciFetch } from 'undici';
import type { EntryPoint } from './context.ts';
import type { FaultSwitchboard } from './faults.ts';
import { readBody } from './http.ts';
import { loopbackLookup } from './loopback.ts';

export interface EntryPointSpec {
  readonly name: Exclude<EntryPoint, 'direct'>;
  readonly localAddress: string;
  /** Added before each request is forwarded: a longer network path. */
  readonly latencyMs: number;
}

export const ENTRY_POINT_SPECS: readonly EntryPointSpec[] = [
  { name: 'edge-east', localAddress: '127.0.0.2', latencyMs: 0 },
  { name: 'edge-west', localAddress: '127.0.0.3', latencyMs: 200 },
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

const isTokenRequest = (request: IncomingMessage) =>
  request.method === 'POST' && /\/token(\?|$)/.test(new URL(request.url ?? '/', 'http://x').pathname);

/**
 * `edge-west-broken`: the entry point forwards token requests itself, without their `code` field,
 * as a body-rewriting rule gone wrong would. The answer goes back with the proxy's Via header.
 */
async function forwardMangled(spec: EntryPointSpec, request: IncomingMessage): Promise<PrepareRequestFunctionResult> {
  const form = new URLSearchParams(await readBody(request));
  form.delete('code');
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && !/^(host|content-length|connection|proxy-)/i.test(entry[0]),
    ),
  );
  // It still leaves from its own address, so the gateway still sees it as edge-west.
  const upstream = await undiciFetch(request.url ?? '', {
    method: 'POST',
    headers,
    body: form.toString(),
    dispatcher: new Agent({ connect: { localAddress: spec.localAddress } }),
  });
  const body = Buffer.from(await upstream.arrayBuffer());
  const responseHeaders: Record<string, string> = { via: `1.1 ${spec.name}` };
  upstream.headers.forEach((value, name) => {
    if (!/^(content-length|transfer-encoding|connection|content-encoding)$/i.test(name)) responseHeaders[name] = value;
  });
  return { customResponseFunction: () => ({ statusCode: upstream.status, headers: responseHeaders, body }) };
}

export async function startEntryPoint(spec: EntryPointSpec, port: number, faults: FaultSwitchboard): Promise<RunningProxy> {
  const server = new Server({
    port,
    host: '127.0.0.1',
    verbose: false,
    async prepareRequestFunction({ request, isHttp }) {
      if (spec.latencyMs > 0) await delay(spec.latencyMs);
      if (isHttp && spec.name === 'edge-west' && faults.isArmed('edge-west-broken') && isTokenRequest(request))
        return forwardMangled(spec, request);
      return { localAddress: spec.localAddress, dnsLookup: loopbackLookup };
    },
  });
  await server.listen();
  return {
    name: spec.name,
    url: `http://127.0.0.1:${server.port}`,
    close: () => server.close(true),
  };
}

/**
 * The broker's egress: the forward proxy its server-side calls to the upstream providers leave
 * through, a network path of its own. `broker-egress-broken` has it refuse them (502).
 */
export async function startEgressProxy(port: number, faults: FaultSwitchboard): Promise<{ url: string; close(): Promise<void> }> {
  const server = new Server({
    port,
    host: '127.0.0.1',
    verbose: false,
    prepareRequestFunction() {
      if (faults.isArmed('broker-egress-broken')) throw new RequestError('egress refused: no route to the upstream', 502);
      return { dnsLookup: loopbackLookup };
    },
  });
  await server.listen();
  return { url: `http://127.0.0.1:${server.port}`, close: () => server.close(true) };
}
