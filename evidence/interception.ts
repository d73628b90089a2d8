/**
 * How the browser's token request is held so that the suite can send it, record its answer and
 * hand that answer to the page: over the DevTools protocol's Fetch domain on Chromium, narrowed to
 * the requests that may be the exchange, or with Playwright's routing elsewhere; and how a held
 * request is sent as the browser would have sent it (its proxy, its cookies or none).
 */
import { request as httpRequest } from 'node:http';
import type { Page } from '@playwright/test';
import { devtoolsSession } from '../browsers/devtools.ts';
import { fetch as undiciFetch, ProxyAgent } from 'undici';

/** fetch through a forward proxy (an entry point or a user network path), or directly: as a held request or a native client's goes. */
export function fetchVia(proxyUrl: string | undefined): typeof fetch {
  if (!proxyUrl) return fetch;
  const dispatcher = new ProxyAgent(proxyUrl);
  return ((input: string | URL, init?: RequestInit) => undiciFetch(input, { ...(init as object), dispatcher })) as unknown as typeof fetch;
}

/** The token endpoint as the profile knows it. */
interface TokenExchange {
  url: RegExp;
  method: string;
}

export interface ExchangeResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A token request the browser sent and the recorder holds, as either way of capturing it sees it. */
export interface HeldExchange {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** Sends it as Playwright would (the context's proxy, a CONNECT tunnel for HTTPS, its cookie jar). */
  fetch(timeoutMs: number): Promise<ExchangeResponse>;
  fulfill(response: ExchangeResponse): Promise<void>;
  abort(reason: 'timedout' | 'failed'): Promise<void>;
}

/** Headers a client library sets itself from the connection and the body. */
const CONNECTION_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'cookie']);

/**
 * A cross-origin request sent as a page's script sends one by default (credentials "same-origin"):
 * with the headers the browser gave it and no cookies of the browser's jar. A provider that treats
 * a request with its session cookie as a signed-in user's (LemonLDAP::NG does) sees what it would
 * see from the browser.
 */
async function sendWithoutCookies(request: HeldExchange, proxy: string | undefined, signal: AbortSignal): Promise<ExchangeResponse> {
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !CONNECTION_HEADERS.has(name.toLowerCase())));
  const response = await fetchVia(proxy)(request.url, {
    method: request.method,
    headers,
    ...(request.body ? { body: new Uint8Array(request.body) } : {}),
    redirect: 'manual',
    signal,
  });
  const flat: Record<string, string> = {};
  response.headers.forEach((value, name) => (flat[name] = value));
  return { status: response.status, headers: flat, body: Buffer.from(await response.arrayBuffer()) };
}

/**
 * Sends a held request as the browser would have: through `proxy`, a plain-HTTP request goes in
 * absolute form (`POST http://host/token`), which a proxy can read and rewrite; a cross-origin
 * request goes without the jar's cookies, as a script's fetch goes by default; anything else is
 * fetched by Playwright (directly, or through the proxy's CONNECT tunnel, as a browser does for
 * HTTPS). Playwright's own fetch would tunnel plain HTTP too, out of the proxy's sight, and adds
 * every cookie of the context.
 */
export async function sendAsBrowser(
  request: HeldExchange,
  proxy: string | undefined,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<ExchangeResponse> {
  const target = new URL(request.url);
  const origin = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'origin')?.[1];
  const crossOrigin = origin !== undefined && origin !== 'null' && origin !== target.origin;
  if (crossOrigin && !(proxy && target.protocol === 'http:')) return sendWithoutCookies(request, proxy, signal);
  if (!proxy || target.protocol !== 'http:') return request.fetch(timeoutMs);
  const via = new URL(proxy);
  const headers: Record<string, string> = { ...request.headers, host: target.host };
  if (via.username)
    headers['proxy-authorization'] =
      `Basic ${Buffer.from(`${decodeURIComponent(via.username)}:${decodeURIComponent(via.password)}`).toString('base64')}`;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: via.hostname, port: via.port || 80, method: request.method, path: target.href, headers, signal },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const flat: Record<string, string> = {};
          for (const [name, value] of Object.entries(incoming.headers))
            if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(name === 'set-cookie' ? '\n' : ', ') : value;
          resolve({ status: incoming.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks) });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body ?? undefined);
  });
}

/** Whether a regular expression's source is a choice of alternatives (`a|b`) outside any group. */
function hasTopLevelAlternative(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let at = 0; at < source.length; at++) {
    const char = source[at];
    if (char === '\\') at++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) return true;
  }
  return false;
}

const WILDCARD_SPECIAL = /[\\*?]/g;

/**
 * The URL pattern of Chromium's `Fetch` domain that holds every URL the expression can match: the
 * expression's literal start (from `^`, through its origin and at least the `/` after it; a `.`
 * that matches any character is the pattern's `?`), then anything. Undefined when the expression
 * has no such start (unanchored, case-insensitive, with an alternative, or a pattern before the
 * path).
 */
export function urlPatternFor(url: RegExp): string | undefined {
  const source = url.source;
  if (url.flags.includes('i') || !source.startsWith('^') || hasTopLevelAlternative(source)) return undefined;
  // Each piece: what it adds to the pattern, and the character it stands for (any, for `.`).
  const pieces: { pattern: string; char: string }[] = [];
  const literal = (char: string) => ({ pattern: char.replace(WILDCARD_SPECIAL, (special) => `\\${special}`), char });
  for (let at = 1; at < source.length; at++) {
    const char = source[at] as string;
    if (char === '\\') {
      const next = source[at + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) break;
      pieces.push(literal(next));
      at++;
    } else if (char === '.') {
      pieces.push({ pattern: '?', char: '.' });
    } else if ('*?{'.includes(char)) {
      // A quantifier that may leave out the piece before it.
      pieces.pop();
      break;
    } else if ('+()[]|$^'.includes(char)) {
      break;
    } else {
      pieces.push(literal(char));
    }
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]+\//i.test(pieces.map((piece) => piece.char).join(''))) return undefined;
  return `${pieces.map((piece) => piece.pattern).join('')}*`;
}

/** The requests a page's script sends: a browser's token request is one of them. */
const SCRIPT_REQUESTS = ['Fetch', 'XHR'] as const;

async function holdOverDevTools(page: Page, tokenExchange: TokenExchange, hold: (held: HeldExchange) => Promise<void>): Promise<void> {
  const context = page.context();
  const cdp = await devtoolsSession(page);
  // Once the page is gone its requests are too: a late answer has nowhere to go.
  const settle = (sent: Promise<unknown>): Promise<void> =>
    sent.then(
      () => undefined,
      () => undefined,
    );
  cdp.on('Fetch.requestPaused', ({ requestId, request }) => {
    if (request.method !== tokenExchange.method || !tokenExchange.url.test(request.url)) {
      void settle(cdp.send('Fetch.continueRequest', { requestId }));
      return;
    }
    const body = request.postDataEntries?.length
      ? Buffer.concat(request.postDataEntries.map((part) => Buffer.from(part.bytes ?? '', 'base64')))
      : undefined;
    void hold({
      url: request.url,
      method: request.method,
      headers: request.headers,
      body,
      fetch: async (timeout) => {
        const response = await context.request.fetch(request.url, {
          method: request.method,
          headers: request.headers,
          ...(body ? { data: body } : {}),
          timeout,
        });
        return { status: response.status(), headers: response.headers(), body: await response.body() };
      },
      fulfill: (response) =>
        settle(
          cdp.send('Fetch.fulfillRequest', {
            requestId,
            responseCode: response.status,
            responseHeaders: Object.entries(response.headers).flatMap(([name, value]) =>
              (name.toLowerCase() === 'set-cookie' ? value.split('\n') : [value]).map((each) => ({ name, value: each })),
            ),
            body: response.body.toString('base64'),
          }),
        ),
      abort: (reason) => settle(cdp.send('Fetch.failRequest', { requestId, errorReason: reason === 'timedout' ? 'TimedOut' : 'Failed' })),
    });
  });
  const urlPattern = urlPatternFor(tokenExchange.url);
  await cdp.send('Fetch.enable', {
    patterns: urlPattern
      ? [{ urlPattern, requestStage: 'Request' }]
      : SCRIPT_REQUESTS.map((resourceType) => ({ urlPattern: '*', resourceType, requestStage: 'Request' as const })),
  });
}

/**
 * Holds every request of `page` that is the token exchange and hands it to `hold`: over DevTools
 * on Chromium (unless `capture` is 'route'), with Playwright's routing elsewhere. Says which.
 */
export async function holdExchanges(
  page: Page,
  tokenExchange: TokenExchange,
  capture: 'devtools' | 'route',
  hold: (held: HeldExchange) => Promise<void>,
): Promise<'devtools' | 'route'> {
  const onChromium = page.context().browser()?.browserType().name() === 'chromium';
  if (onChromium && capture !== 'route') {
    await holdOverDevTools(page, tokenExchange, hold);
    return 'devtools';
  }
  await page.context().route(tokenExchange.url, async (route) => {
    const request = route.request();
    if (request.method() !== tokenExchange.method) return route.fallback();
    await hold({
      url: request.url(),
      method: request.method(),
      headers: await request.allHeaders(),
      body: request.postDataBuffer() ?? undefined,
      fetch: async (timeout) => {
        const response = await route.fetch({ timeout });
        return { status: response.status(), headers: response.headers(), body: await response.body() };
      },
      fulfill: (response) => route.fulfill({ status: response.status, headers: response.headers, body: response.body }),
      abort: (reason) => route.abort(reason),
    });
  });
  return 'route';
}
