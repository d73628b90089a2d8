/**
 * Per-request facts the gateway learns before any component sees the request: its request_id,
 * the entry point it came through, and (once routed) the token node serving it.
 */
import type { IncomingMessage } from 'node:http';
import type { NodeName } from './store.ts';

export const ENTRY_POINTS = ['direct', 'edge-east', 'edge-west', 'corporate'] as const;
export type EntryPoint = (typeof ENTRY_POINTS)[number];

export interface RequestContext {
  readonly requestId: string;
  readonly entry: EntryPoint;
  readonly receivedAt: number;
  node?: NodeName;
}

const contexts = new WeakMap<IncomingMessage, RequestContext>();

export function setContext(req: IncomingMessage, context: RequestContext): void {
  contexts.set(req, context);
}

export function contextOf(req: IncomingMessage): RequestContext | undefined {
  return contexts.get(req);
}

/** Response headers the lab adds so a client (and the suite's evidence) can name what served it. */
export const LAB_HEADERS = { requestId: 'x-request-id', node: 'x-lab-node', entry: 'x-lab-entry' } as const;

/** The response headers a browser client may read across origins: the lab's, and the server's Date. */
export const EXPOSED_HEADERS = [LAB_HEADERS.requestId, LAB_HEADERS.node, LAB_HEADERS.entry, 'Date'].join(', ');
