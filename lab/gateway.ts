/**
 * The gateway in front of the identity provider: it stamps each request with a request_id and the
 * entry point it came through, keeps the admin API to direct loopback calls, hands interactions to
 * the login UI, and routes token calls — the mobile gateway's to the primary, web calls to the web
 * token service's pool — behind the token endpoint's rate limit.
 *
 * Its faults: `replica-lag`, `idp-clock-ahead`, `signing-key-unpublished` and `audience-mixup` put
 * the replica in the web pool (a web token service reading a store the code has not reached,
 * running a fast clock, signing with an unpublished key, or naming the wrong audience);
 * `rate-limit-tight` cuts the rate limit to its catalogued policy.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contextOf, EXPOSED_HEADERS, setContext } from './context.ts';
import { faultSettings, type FaultSwitchboard } from './faults.ts';
import { sendError } from './http.ts';
import type { LabLog } from './log.ts';
import { entryForAddress } from './proxies.ts';
import { NORMAL_LIMIT, RateLimiter } from './rate-limit.ts';
import type { NodeName } from './store.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface GatewayDeps {
  issuer: string;
  adminPrefix: string;
  admin: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
  /** The login UI: true when it handled the request. */
  interactions: (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;
  nodes: Record<NodeName, Handler>;
  faults: FaultSwitchboard;
  log: LabLog;
}

/** The faults of the web token service: while one is armed, the replica serves web token calls. */
const REPLICA_FAULTS = ['replica-lag', 'idp-clock-ahead', 'signing-key-unpublished', 'audience-mixup'] as const;

export function createGateway(deps: GatewayDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { faults, log } = deps;
  const rateLimiter = new RateLimiter();
  faults.onChange(() => rateLimiter.reset());
  const webPoolNode = (): NodeName => (REPLICA_FAULTS.some((id) => faults.isArmed(id)) ? 'replica' : 'primary');
  const tokenLimit = () => (faults.isArmed('rate-limit-tight') ? faultSettings('rate-limit-tight').limit : NORMAL_LIMIT);

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const context = contextOf(req);
    if (url.pathname === deps.adminPrefix || url.pathname.startsWith(`${deps.adminPrefix}/`)) {
      if (context?.entry !== 'direct')
        return sendError(res, 403, 'forbidden', 'the admin API answers direct loopback calls only, not calls through an entry point');
      return deps.admin(req, res, url);
    }
    if (await deps.interactions(req, res, url.pathname)) return;
    let node: NodeName = 'primary';
    if (url.pathname === '/mobile/token') {
      // The mobile gateway: native app token calls are served by the primary.
      req.url = `/token${url.search}`;
    } else if (url.pathname === '/token') {
      node = webPoolNode();
    }
    if (url.pathname.endsWith('/token') && req.method === 'POST') {
      const verdict = rateLimiter.take(req.socket.remoteAddress ?? 'unknown', tokenLimit());
      if (!verdict.allowed) {
        log.write('gateway', 'token.rate_limited', {
          request_id: context?.requestId,
          entry: context?.entry,
          retry_after_s: verdict.retryAfterSeconds,
        });
        const origin = req.headers.origin;
        return sendError(res, 429, 'rate_limited', `too many token requests; retry after ${verdict.retryAfterSeconds} s`, {
          'retry-after': String(verdict.retryAfterSeconds),
          ...(origin ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': `${EXPOSED_HEADERS}, Retry-After` } : {}),
        });
      }
      log.write('gateway', 'token.routed', { request_id: context?.requestId, entry: context?.entry, node, path: url.pathname });
    }
    await deps.nodes[node](req, res);
  };

  return (req, res) => {
    const context = { requestId: randomUUID(), entry: entryForAddress(req.socket.remoteAddress), receivedAt: Date.now() };
    setContext(req, context);
    res.setHeader('x-request-id', context.requestId);
    const url = new URL(req.url ?? '/', deps.issuer);
    route(req, res, url).catch((error: unknown) => {
      log.write('gateway', 'gateway.error', { request_id: context.requestId, error: String(error) });
      if (!res.headersSent) sendError(res, 500, 'server_error', 'the lab gateway failed to handle the request');
      else res.destroy();
    });
  };
}
