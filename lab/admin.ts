/**
 * The lab's admin API under `/__lab/`: accounts, inboxes, faults and logs. Bearer token compared
 * in constant time; every body is strict JSON validated before anything changes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { AccountStore, DuplicateAccountError, NewAccountSchema, viewOf } from './accounts.ts';
import { FAULT_CATALOG, FaultSwitchboard, UnknownFaultError } from './faults.ts';
import { HttpError, readBody, sendError, sendJson } from './http.ts';
import type { Inbox } from './inbox.ts';
import type { LabLog } from './log.ts';

export const ADMIN_PREFIX = '/__lab';
const MAX_WAIT_MS = 30_000;

export interface AdminDeps {
  token: string;
  accounts: AccountStore;
  inbox: Inbox;
  faults: FaultSwitchboard;
  log: LabLog;
  describe: () => Record<string, unknown>;
}

const FaultChangeSchema = z.strictObject({
  arm: z.array(z.string()).optional(),
  disarm: z.array(z.string()).optional(),
  set: z.array(z.string()).optional(),
});

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function formatZodError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`).join('; ');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json'))
    throw new HttpError(415, 'unsupported_media_type', `send the body as application/json (got ${type || 'no content-type'})`);
  const text = await readBody(req);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `the request body is not valid JSON (${(error as Error).message}); nothing was changed`);
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, 'invalid_request', `${formatZodError(result.error)}; nothing was changed`);
  return result.data;
}

export function createAdmin(deps: AdminDeps) {
  const expected = digest(deps.token);
  const authorised = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization ?? '';
    // The scheme is case-insensitive (RFC 9110 §11.1), the token is not.
    const match = /^bearer +(\S+)\s*$/i.exec(header);
    // Hashing first makes both sides equal length, so the comparison time says nothing of the token.
    return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
  };

  const faultsView = () => ({ armed: deps.faults.armed, catalog: FAULT_CATALOG });

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.slice(ADMIN_PREFIX.length) || '/';
    const method = req.method ?? 'GET';

    if (path === '/health' && method === 'GET') return sendJson(res, 200, { status: 'ok' });
    if (!authorised(req)) {
      return sendError(res, 401, 'unauthorized', 'send Authorization: Bearer <LAB_ADMIN_TOKEN>', {
        'www-authenticate': 'Bearer realm="authmatrix-lab"',
      });
    }

    if (path === '/' && method === 'GET') return sendJson(res, 200, deps.describe());

    if (path === '/accounts') {
      if (method === 'GET') return sendJson(res, 200, { accounts: deps.accounts.list() });
      if (method === 'POST') {
        const input = parse(NewAccountSchema, await readJson(req));
        try {
          const account = deps.accounts.create(input);
          deps.log.write('admin', 'account.created', { account_id: account.id });
          return sendJson(res, 201, viewOf(account));
        } catch (error) {
          if (error instanceof DuplicateAccountError) throw new HttpError(409, 'duplicate_account', error.message);
          throw error;
        }
      }
    }

    if (path === '/faults') {
      if (method === 'GET') return sendJson(res, 200, faultsView());
      if (method === 'POST') {
        const change = parse(FaultChangeSchema, await readJson(req));
        try {
          deps.faults.apply(change);
        } catch (error) {
          if (error instanceof UnknownFaultError) throw new HttpError(400, 'unknown_fault', `${error.message}; nothing was changed`);
          throw error;
        }
        deps.log.write('admin', 'faults.changed', { armed: deps.faults.armed });
        return sendJson(res, 200, faultsView());
      }
    }

    const inboxMatch = /^\/inbox\/([^/]+)(\/next)?$/.exec(path);
    if (inboxMatch && method === 'GET') {
      let address: string;
      try {
        address = decodeURIComponent(inboxMatch[1] ?? '');
      } catch {
        throw new HttpError(
          400,
          'invalid_request',
          `the inbox address ${inboxMatch[1]} is not valid percent-encoding; encode it with encodeURIComponent`,
        );
      }
      if (!inboxMatch[2]) return sendJson(res, 200, { messages: deps.inbox.list(address) });
      const after = Number(url.searchParams.get('after') ?? '0');
      const timeoutMs = Number(url.searchParams.get('timeoutMs') ?? '10000');
      if (!Number.isInteger(after) || after < 0)
        throw new HttpError(400, 'invalid_request', `after must be a non-negative integer, got ${url.searchParams.get('after')}`);
      if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_WAIT_MS) {
        throw new HttpError(
          400,
          'invalid_request',
          `timeoutMs must be an integer from 0 to ${MAX_WAIT_MS}, got ${url.searchParams.get('timeoutMs')}`,
        );
      }
      const message = await deps.inbox.next(address, after, timeoutMs);
      if (!message) return sendError(res, 408, 'timeout', `no message to ${address} after #${after} within ${timeoutMs} ms`);
      return sendJson(res, 200, message);
    }

    if (path === '/logs' && method === 'GET') {
      const requestId = url.searchParams.get('request_id');
      if (!requestId) throw new HttpError(400, 'invalid_request', 'give the request_id to read, as ?request_id=...');
      return sendJson(res, 200, { request_id: requestId, lines: deps.log.byRequestId(requestId) });
    }

    throw new HttpError(404, 'not_found', `no admin route ${method} ${ADMIN_PREFIX}${path}`);
  }

  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    try {
      await route(req, res, url);
    } catch (error) {
      if (error instanceof HttpError) return sendError(res, error.status, error.code, error.message);
      deps.log.write('admin', 'admin.error', { error: String(error) });
      return sendError(res, 500, 'server_error', 'the lab failed to handle this admin request; see its log');
    }
  };
}
