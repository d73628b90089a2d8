/**
 * What a sign-in leaves behind for a failure report: its token exchange (endpoint, method, status,
 * OAuth error, request_id, entry point and serving node, timings, the server's Date against the
 * client's clock), its journey steps and how it ended. Nothing secret is ever stored: no code,
 * verifier, token, password, TOTP secret or cookie, and no URL query.
 */
import { request as httpRequest } from 'node:http';
import type { Page } from '@playwright/test';
import { devtoolsSession } from '../browsers/devtools.ts';
import type { Cell } from '../matrix/cells.ts';
import { classify, type ExchangeEvidence, type FailureEvidence, type SignedInEvidence } from './classify.ts';
import type { Classification } from './verdict.ts';
import type { AuthErrorDetails } from '../pages/auth-error.page.ts';
import { Timeline } from '../pages/timeline.ts';
import { secrets } from './secrets.ts';
import { fetchVia, type TokenExchangeRecord } from '../clients/oauth.ts';

export interface TokenExchangeEvidence extends ExchangeEvidence {
  endpoint: string;
  method: string;
  startedAt: string;
}

export interface EvidenceReport {
  cell: Cell | undefined;
  profile: string;
  engine: string;
  exchanges: TokenExchangeEvidence[];
  steps: Timeline['entries'];
  outcome:
    | {
        kind: string;
        errorCode?: string | undefined;
        requestId?: string | undefined;
        message?: string | undefined;
        diagnostics?: Record<string, unknown> | undefined;
      }
    | undefined;
  classification: Classification | undefined;
}

/**
 * The OAuth error of a failed exchange: `error` and `error_description` from a JSON body; for a
 * body that is not JSON (a proxy's HTML 502 page), its content type and title or first words.
 */
export function errorFields(body: string, contentType: string | undefined): Pick<ExchangeEvidence, 'error' | 'errorDescription'> {
  try {
    const json = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    if (json && typeof json === 'object') {
      return {
        ...(typeof json.error === 'string' ? { error: json.error } : {}),
        ...(typeof json.error_description === 'string' ? { errorDescription: json.error_description } : {}),
      };
    }
  } catch {
    // Not JSON: summarised below.
  }
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
  const words = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
  const summary = title || words;
  const type = contentType?.split(';')[0]?.trim();
  return {
    errorDescription: `${type ? `a ${type} body` : 'a body of no declared type'}, not JSON${summary ? `: "${summary}"` : ' (empty)'}`,
  };
}

interface ExchangeResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A token request the browser sent and the recorder holds, as either way of capturing it sees it. */
interface HeldExchange {
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
async function sendAsBrowser(
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

export interface WatchOptions {
  /** The cell's proxy: the exchange goes through it, as the browser's would. */
  proxy?: string | undefined;
  /** The network path's name, for an exchange left without an answer. */
  entry?: string | undefined;
  /** How long the client waits for the token endpoint (0: no limit). */
  timeoutMs?: number;
  /** How the exchange is held on Chromium: 'devtools' (default) or Playwright's 'route', as on other engines. */
  capture?: 'devtools' | 'route';
}

const pathOnly = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
};

export class EvidenceRecorder {
  readonly timeline = new Timeline();
  readonly exchanges: TokenExchangeEvidence[] = [];
  /** The target answered 429 to some request of this sign-in (a page, the token exchange). */
  rateLimited = false;
  /** How the exchange is held: the DevTools protocol narrowed to the endpoint, or Playwright's routing. */
  capture: 'devtools' | 'route' | undefined;
  #callbackAt: number | undefined;
  /** Exchanges sent and not yet answered. */
  readonly #pending = new Set<{ endpoint: string; startedAt: number; codeAgeMs: number | undefined; entry: string | undefined }>();
  /** Stops the exchanges still in flight when the test ends. */
  readonly #inFlight = new AbortController();
  /** How the sign-in ended, and what went wrong: the facts the verdict is decided from. */
  #outcome: EvidenceReport['outcome'];
  #errorPage: AuthErrorDetails | undefined;
  #thrown: { error: unknown; pageAlert: string | undefined; failedStep: string | undefined } | undefined;
  #signedIn: SignedInEvidence | undefined;
  #timedOut: number | undefined;
  #navigationFailure: { url: string; errorText: string } | undefined;
  #verdict: Classification | undefined;

  constructor(
    private readonly tokenExchange: { url: RegExp; method: string; codeLifetimeSeconds?: number | undefined },
    private readonly callbackPrefix: string,
  ) {}

  /** How the sign-in ended, for the report. */
  get outcome(): EvidenceReport['outcome'] {
    return this.#outcome;
  }

  /**
   * The failure's verdict, decided by `classify` from the facts recorded so far; undefined while
   * nothing has gone wrong. Every reader (the failure message, the Allure labels, the reporters
   * through the result's annotation, the evidence attachment) reads it here.
   */
  get verdict(): Classification | undefined {
    return this.#verdict;
  }

  #decide(): void {
    const failed =
      this.#thrown !== undefined ||
      this.#errorPage !== undefined ||
      this.#timedOut !== undefined ||
      (this.#signedIn !== undefined && (this.#signedIn.wrongAccount ?? this.#signedIn.secondFactorNotAsked) !== undefined);
    this.#verdict = failed ? classify(this.failureEvidence()) : undefined;
  }

  /** The sign-in ended on the app's (or native client's) error page. */
  recordErrorPage(details: AuthErrorDetails): void {
    this.#errorPage = details;
    this.#outcome = {
      kind: 'error',
      errorCode: details.errorCode,
      requestId: details.requestId,
      message: details.message,
      diagnostics: details.diagnostics,
    };
    this.#decide();
  }

  /** The sign-in ended signed in; `evidence` says what, if anything, was wrong with it. */
  recordSignedIn(evidence: SignedInEvidence = {}): void {
    this.#signedIn = evidence;
    this.#outcome = { kind: 'signed-in' };
    this.#decide();
  }

  /** Driving the sign-in raised `error`, with `pageAlert` showing on the page. */
  recordThrown(error: unknown, pageAlert?: string): void {
    this.#thrown = { error, pageAlert, failedStep: this.timeline.openStep };
    this.#decide();
  }

  /** The test ran out of its `timeoutMs`. */
  recordTimeout(timeoutMs: number): void {
    this.#timedOut = timeoutMs;
    this.#decide();
  }

  /**
   * Watches a page for the token exchange and the moment the code reached the app. The exchange is
   * captured at the network layer — the request is held, sent from here and its response handed to
   * the page — so its status, headers and error body are kept even when the app navigates away the
   * instant it fails. A successful response holds the tokens: only an error body is read.
   * `timeoutMs` (0: none) is how long the client waits for the answer: past it the request is
   * given up, the browser's fetch fails, and the exchange is recorded as unanswered (no-response).
   *
   * On Chromium the page holds, through the DevTools protocol's `Fetch` domain, only the requests
   * that may be the exchange: those under the endpoint URL's literal start, or, for an endpoint
   * known by a pattern alone (`/token$`), the page's fetch and XMLHttpRequest requests (a browser
   * sends its token request from script); every other request goes on unheld, with the browser's
   * cache. Other engines (or `capture: 'route'`) are watched with Playwright's routing, which holds
   * every request of the context and turns its cache off.
   */
  async watch(page: Page, options: WatchOptions = {}): Promise<void> {
    const { proxy, entry, timeoutMs = 0 } = options;
    page.on('request', (request) => {
      if (request.url().startsWith(this.callbackPrefix)) this.#callbackAt = Date.now();
    });
    page.on('response', (response) => {
      if (response.status() === 429) this.rateLimited = true;
    });
    page.on('requestfailed', (request) => {
      const errorText = request.failure()?.errorText;
      if (errorText && request.isNavigationRequest() && request.frame() === page.mainFrame())
        this.#navigationFailure = { url: pathOnly(request.url()), errorText };
    });
    const hold = (held: HeldExchange) => this.#exchange(held, proxy, entry, timeoutMs);
    const onChromium = page.context().browser()?.browserType().name() === 'chromium';
    if (onChromium && options.capture !== 'route') {
      await this.#holdOverDevTools(page, hold);
      this.capture = 'devtools';
      return;
    }
    await page.context().route(this.tokenExchange.url, async (route) => {
      const request = route.request();
      if (request.method() !== this.tokenExchange.method) return route.fallback();
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
    this.capture = 'route';
  }

  async #holdOverDevTools(page: Page, hold: (held: HeldExchange) => Promise<void>): Promise<void> {
    const context = page.context();
    const cdp = await devtoolsSession(page);
    // Once the page is gone its requests are too: a late answer has nowhere to go.
    const settle = (sent: Promise<unknown>): Promise<void> =>
      sent.then(
        () => undefined,
        () => undefined,
      );
    cdp.on('Fetch.requestPaused', ({ requestId, request }) => {
      if (request.method !== this.tokenExchange.method || !this.tokenExchange.url.test(request.url)) {
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
    const urlPattern = urlPatternFor(this.tokenExchange.url);
    await cdp.send('Fetch.enable', {
      patterns: urlPattern
        ? [{ urlPattern, requestStage: 'Request' }]
        : SCRIPT_REQUESTS.map((resourceType) => ({ urlPattern: '*', resourceType, requestStage: 'Request' as const })),
    });
  }

  /** Sends a held token request on the cell's network path, records what came back, and answers the page with it. */
  async #exchange(held: HeldExchange, proxy: string | undefined, entry: string | undefined, timeoutMs: number): Promise<void> {
    const startedAt = Date.now();
    const codeAgeMs = this.#callbackAt === undefined ? undefined : startedAt - this.#callbackAt;
    const base = { endpoint: pathOnly(held.url), method: held.method, startedAt: new Date(startedAt).toISOString(), codeAgeMs };
    const pending = { endpoint: base.endpoint, startedAt, codeAgeMs, entry };
    this.#pending.add(pending);
    let response: ExchangeResponse;
    const signal = timeoutMs > 0 ? AbortSignal.any([this.#inFlight.signal, AbortSignal.timeout(timeoutMs)]) : this.#inFlight.signal;
    try {
      response = await sendAsBrowser(held, proxy, signal, timeoutMs);
    } catch (error) {
      if (this.#inFlight.signal.aborted) return;
      this.#pending.delete(pending);
      const durationMs = Date.now() - startedAt;
      // No answer in the client's time: the browser's request is given up, as a held one would be.
      const gaveUp = timeoutMs > 0 && durationMs >= timeoutMs;
      this.exchanges.push({
        ...base,
        status: 0,
        ...(gaveUp
          ? { errorDescription: `no answer within ${timeoutMs} ms`, pendingMs: durationMs, entry }
          : { error: 'network_error', errorDescription: (error as Error).message.split('\n')[0] }),
        durationMs,
      });
      await held.abort(gaveUp ? 'timedout' : 'failed').catch(() => undefined);
      return;
    }
    this.#pending.delete(pending);
    const { headers } = response;
    const exchange: TokenExchangeEvidence = {
      ...base,
      status: response.status,
      requestId: headers['x-request-id'],
      serverDate: headers.date,
      via: headers.via,
      node: headers['x-lab-node'],
      entry: headers['x-lab-entry'],
      durationMs: Date.now() - startedAt,
    };
    if (response.status === 429) this.rateLimited = true;
    // Some providers answer a refusal with 200 and an error body (GitHub, Slack); only its error fields are kept.
    const body = response.status >= 400 || response.body.includes('"error"') ? response.body.toString('utf8') : undefined;
    if (body !== undefined) {
      const fields = errorFields(body, headers['content-type']);
      if (response.status >= 400 || fields.error !== undefined) Object.assign(exchange, fields);
    }
    this.exchanges.push(exchange);
    await held.fulfill(response).catch(() => undefined);
  }

  /** Aborts the exchanges still waiting for an answer: the test that sent them is over. */
  dispose(): void {
    this.#inFlight.abort();
  }

  /** The exchange the browser sent and still waits on, as evidence: how long it has been pending, and where it went. */
  pendingExchange(now = Date.now()): TokenExchangeEvidence | undefined {
    const pending = [...this.#pending].at(-1);
    if (!pending) return undefined;
    return {
      endpoint: pending.endpoint,
      method: this.tokenExchange.method,
      startedAt: new Date(pending.startedAt).toISOString(),
      status: 0,
      pendingMs: now - pending.startedAt,
      codeAgeMs: pending.codeAgeMs,
      entry: pending.entry,
      clientTime: new Date(now).toISOString(),
    };
  }

  /** A native client's own exchange, made outside the browser. */
  recordNativeExchange(record: TokenExchangeRecord): void {
    if (record.status === 429) this.rateLimited = true;
    this.exchanges.push({
      endpoint: pathOnly(record.endpoint),
      method: record.method,
      startedAt: new Date(Date.parse(record.clientTime) - record.durationMs).toISOString(),
      status: record.status,
      error: record.error,
      errorDescription: record.errorDescription,
      requestId: record.requestId,
      serverDate: record.serverDate,
      clientTime: record.clientTime,
      node: record.node,
      entry: record.entry,
      durationMs: record.durationMs,
      codeAgeMs: record.codeAgeMs,
      pendingMs: record.pendingMs,
    });
  }

  get lastExchange(): TokenExchangeEvidence | undefined {
    return this.exchanges.at(-1);
  }

  /** The evidence the classifier reads: every fact recorded so far. */
  failureEvidence(): FailureEvidence {
    const diagnostics = this.#errorPage?.diagnostics ?? {};
    const text = (key: string) => (typeof diagnostics[key] === 'string' ? diagnostics[key] : undefined);
    const exchange = this.pendingExchange() ?? this.lastExchange;
    const lifetime = this.tokenExchange.codeLifetimeSeconds;
    const steps = this.timeline.entries
      .map((entry) => `${entry.step} ${entry.durationMs === undefined ? 'unfinished' : `${entry.durationMs} ms`}`)
      .join(', ');
    return {
      errorCode: this.#errorPage?.errorCode,
      errorMessage: this.#errorPage?.message,
      clientError: text('error'),
      clientErrorDescription: text('error_description'),
      exchange: exchange ? { ...exchange, clientTime: exchange.clientTime ?? text('client_time') } : undefined,
      codeLifetimeMs: lifetime === undefined ? undefined : lifetime * 1000,
      failedStep: this.#thrown?.failedStep ?? this.timeline.openStep,
      thrown: this.#thrown?.error,
      pageAlert: this.#thrown?.pageAlert,
      navigationFailure: this.#navigationFailure,
      signedIn: this.#signedIn,
      timedOut: this.#timedOut === undefined ? undefined : { timeoutMs: this.#timedOut, steps },
    };
  }

  report(meta: { cell: EvidenceReport['cell']; profile: string; engine: string }): EvidenceReport {
    const pending = this.pendingExchange();
    return secrets.scrubDeep({
      ...meta,
      exchanges: pending ? [...this.exchanges, pending] : this.exchanges,
      steps: this.timeline.entries,
      outcome: this.#outcome,
      classification: this.#verdict,
    });
  }
}
