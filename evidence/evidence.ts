/**
 * What a sign-in leaves behind for a failure report: its token exchange (endpoint, method, status,
 * OAuth error, request_id, entry point and serving node, timings, the server's Date against the
 * client's clock), its journey steps and how it ended. Nothing secret is ever stored: no code,
 * verifier, token, password, TOTP secret or cookie, and no URL query.
 */
import type { Page } from '@playwright/test';
import type { Cell } from '../matrix/cells.ts';
export type { AuthErrorDetails } from './error-page.ts';
import { classify, type ExchangeEvidence, type FailureEvidence, type SignedInEvidence } from './classify.ts';
import type { Classification } from './verdict.ts';
import type { AuthErrorDetails } from './error-page.ts';
import { HopRecorder, type Hop } from './hops.ts';
import { Timeline } from './timeline.ts';
import { secrets } from './secrets.ts';
import { holdExchanges, sendAsBrowser, type ExchangeResponse, type HeldExchange } from './interception.ts';

/** What the suite keeps of a native client's token exchange: never the code, verifier or tokens. */
export interface TokenExchangeRecord {
  endpoint: string;
  method: 'POST';
  status: number;
  error: string | undefined;
  errorDescription: string | undefined;
  errorHint?: string | undefined;
  requestId: string | undefined;
  node: string | undefined;
  entry: string | undefined;
  serverDate: string | undefined;
  clientTime: string;
  durationMs: number;
  /** From the code reaching the client to the exchange starting. */
  codeAgeMs?: number | undefined;
  /** Set when the request had no answer when the client gave up: how long it waited. */
  pendingMs?: number | undefined;
}

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
  /** The sign-in's page loads, by site; names of cookies, no values. */
  hops: Hop[];
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
export function errorFields(
  body: string,
  contentType: string | undefined,
): Pick<ExchangeEvidence, 'error' | 'errorDescription' | 'errorHint'> {
  try {
    const json = JSON.parse(body) as { error?: unknown; error_description?: unknown; hint?: unknown };
    if (json && typeof json === 'object') {
      return {
        ...(typeof json.error === 'string' ? { error: json.error } : {}),
        ...(typeof json.error_description === 'string' ? { errorDescription: json.error_description } : {}),
        ...(typeof json.hint === 'string' && json.hint ? { errorHint: json.hint } : {}),
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

/**
 * What a token endpoint's answer says of a refusal: its OAuth error fields (errorFields), or
 * nothing for a success. Some providers answer a refusal with 200 and an error body (GitHub,
 * Slack); a success's body holds the tokens and is not kept.
 */
export function refusalFields(
  status: number,
  body: Buffer | string,
  contentType: string | undefined,
): Pick<ExchangeEvidence, 'error' | 'errorDescription' | 'errorHint'> {
  if (status < 400 && !body.includes('"error"')) return {};
  const fields = errorFields(body.toString(), contentType);
  return status >= 400 || fields.error !== undefined ? fields : {};
}

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
  readonly hops = new HopRecorder();
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
  #errorPage: AuthErrorDetails | undefined;
  #thrown: { error: unknown; pageAlert: string | undefined; failedStep: string | undefined } | undefined;
  #signedIn: SignedInEvidence | undefined;
  #timedOut: number | undefined;
  #navigationFailure: { url: string; errorText: string } | undefined;
  #verdict: Classification | undefined;

  constructor(
    private readonly tokenExchange: { url: RegExp; method: string; codeLifetimeSeconds?: number | undefined },
    private readonly callbackPrefix: string,
    /** Where the client's provider and the app are: a sign-in that leaves both went through an upstream. */
    private readonly sites?: { provider: string; app: readonly string[]; upstreams?: readonly string[] },
  ) {}

  /** How the sign-in ended, for the report: its error page, or signed in. */
  get outcome(): EvidenceReport['outcome'] {
    if (this.#errorPage) return { kind: 'error', ...this.#errorPage };
    return this.#signedIn ? { kind: 'signed-in' } : undefined;
  }

  /**
   * The failure's verdict, decided by `classify` from the facts recorded so far; undefined while
   * nothing has gone wrong. Every reader (the failure message, the Allure labels, the reporters
   * through the result's annotation, the evidence attachment) reads it here.
   */
  get verdict(): Classification | undefined {
    return this.#verdict;
  }

  /** Decides the verdict again from every fact so far, and returns it. */
  #decide(): Classification | undefined {
    const failed =
      this.#thrown !== undefined ||
      this.#errorPage !== undefined ||
      this.#timedOut !== undefined ||
      (this.#signedIn !== undefined && (this.#signedIn.wrongAccount ?? this.#signedIn.secondFactorNotAsked) !== undefined);
    this.#verdict = failed ? classify(this.failureEvidence()) : undefined;
    return this.#verdict;
  }

  /** The sign-in ended on the app's (or native client's) error page. */
  recordErrorPage(details: AuthErrorDetails): void {
    this.#errorPage = details;
    this.#decide();
  }

  /** The sign-in ended signed in; `evidence` says what, if anything, was wrong with it. */
  recordSignedIn(evidence: SignedInEvidence = {}): void {
    this.#signedIn = evidence;
    this.#decide();
  }

  /** Driving the sign-in raised `error`, with `pageAlert` showing on the page: the verdict that follows. */
  recordThrown(error: unknown, pageAlert?: string): Classification {
    this.#thrown = { error, pageAlert, failedStep: this.timeline.openStep };
    // A thrown error is always a failure: the verdict is decided.
    return this.#decide() as Classification;
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
    this.hops.watch(page);
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
    this.capture = await holdExchanges(page, this.tokenExchange, options.capture ?? 'devtools', (held) =>
      this.#exchange(held, proxy, entry, timeoutMs),
    );
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
    Object.assign(exchange, refusalFields(response.status, response.body, headers['content-type']));
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
      ...record,
      endpoint: pathOnly(record.endpoint),
      startedAt: new Date(Date.parse(record.clientTime) - record.durationMs).toISOString(),
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
      federation: this.sites ? this.hops.federation(this.sites.provider, this.sites.app, this.sites.upstreams) : undefined,
    };
  }

  report(meta: { cell: EvidenceReport['cell']; profile: string; engine: string }): EvidenceReport {
    const pending = this.pendingExchange();
    return secrets.scrubDeep({
      ...meta,
      exchanges: pending ? [...this.exchanges, pending] : this.exchanges,
      hops: this.hops.hops,
      steps: this.timeline.entries,
      outcome: this.outcome,
      classification: this.#verdict,
    });
  }
}
