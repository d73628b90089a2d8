/**
 * What a sign-in leaves behind for a failure report: its token exchange (endpoint, method, status,
 * OAuth error, request_id, entry point and serving node, timings, the server's Date against the
 * client's clock), its journey steps and how it ended. Nothing secret is ever stored: no code,
 * verifier, token, password, TOTP secret or cookie, and no URL query.
 */
import { request as httpRequest } from 'node:http';
import type { Page, Route } from '@playwright/test';
import type { Cell } from '../matrix/cells.ts';
import { classify, type Classification, type ExchangeEvidence, type FailureEvidence } from './classify.ts';
import type { AuthErrorDetails } from '../pages/auth-error.page.ts';
import { Timeline } from '../pages/timeline.ts';
import { secrets } from './secrets.ts';
import type { TokenExchangeRecord } from '../clients/oauth.ts';

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

/**
 * Sends a routed request as the browser would have: through `proxy`, a plain-HTTP request goes in
 * absolute form (`POST http://host/token`), which a proxy can read and rewrite; anything else is
 * fetched by Playwright (directly, or through the proxy's CONNECT tunnel, as a browser does for
 * HTTPS). Playwright's own fetch would tunnel plain HTTP too, out of the proxy's sight.
 */
async function sendAsBrowser(route: Route, proxy: string | undefined, signal: AbortSignal, timeoutMs: number): Promise<ExchangeResponse> {
  const request = route.request();
  const target = new URL(request.url());
  if (!proxy || target.protocol !== 'http:') {
    const response = await route.fetch({ timeout: timeoutMs });
    return { status: response.status(), headers: response.headers(), body: await response.body() };
  }
  const via = new URL(proxy);
  const headers: Record<string, string> = { ...(await request.allHeaders()), host: target.host };
  if (via.username)
    headers['proxy-authorization'] =
      `Basic ${Buffer.from(`${decodeURIComponent(via.username)}:${decodeURIComponent(via.password)}`).toString('base64')}`;
  const body = request.postDataBuffer();
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: via.hostname, port: via.port || 80, method: request.method(), path: target.href, headers, signal },
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
    outgoing.end(body ?? undefined);
  });
}

const pathOnly = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
};

export class EvidenceRecorder {
  readonly timeline = new Timeline();
  readonly exchanges: TokenExchangeEvidence[] = [];
  outcome: EvidenceReport['outcome'];
  classification: Classification | undefined;
  /** The target answered 429 to some request of this sign-in (a page, the token exchange). */
  rateLimited = false;
  #callbackAt: number | undefined;
  /** Exchanges sent and not yet answered. */
  readonly #pending = new Set<{ endpoint: string; startedAt: number; codeAgeMs: number | undefined; entry: string | undefined }>();
  /** Stops the exchanges still in flight when the test ends. */
  readonly #inFlight = new AbortController();

  constructor(
    private readonly tokenExchange: { url: RegExp; method: string },
    private readonly callbackPrefix: string,
  ) {}

  /**
   * Watches a page for the token exchange and the moment the code reached the app. The exchange is
   * captured at the network layer — the request is fetched here and its response handed to the
   * page — so its status, headers and error body are kept even when the app navigates away the
   * instant it fails. A successful response holds the tokens: only an error body is read.
   * `timeoutMs` (0: none) is how long the client waits for the answer: past it the request is
   * given up, the browser's fetch fails, and the exchange is recorded as unanswered (no-response).
   */
  async watch(page: Page, proxy?: string, entry?: string, timeoutMs = 0): Promise<void> {
    page.on('request', (request) => {
      if (request.url().startsWith(this.callbackPrefix)) this.#callbackAt = Date.now();
    });
    page.on('response', (response) => {
      if (response.status() === 429) this.rateLimited = true;
    });
    await page.context().route(this.tokenExchange.url, async (route) => {
      const request = route.request();
      if (request.method() !== this.tokenExchange.method) return route.fallback();
      const startedAt = Date.now();
      const codeAgeMs = this.#callbackAt === undefined ? undefined : startedAt - this.#callbackAt;
      const base = { endpoint: pathOnly(request.url()), method: request.method(), startedAt: new Date(startedAt).toISOString(), codeAgeMs };
      const pending = { endpoint: base.endpoint, startedAt, codeAgeMs, entry };
      this.#pending.add(pending);
      let response: ExchangeResponse;
      const signal = timeoutMs > 0 ? AbortSignal.any([this.#inFlight.signal, AbortSignal.timeout(timeoutMs)]) : this.#inFlight.signal;
      try {
        response = await sendAsBrowser(route, proxy, signal, timeoutMs);
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
        await route.abort(gaveUp ? 'timedout' : 'failed').catch(() => undefined);
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
      if (response.status >= 400) Object.assign(exchange, errorFields(response.body.toString('utf8'), headers['content-type']));
      this.exchanges.push(exchange);
      await route.fulfill({ status: response.status, headers, body: response.body }).catch(() => undefined);
    });
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

  /** The evidence the classifier reads, from the app's error page and the recorded exchange. */
  failureEvidence(details: AuthErrorDetails | undefined, extra: Pick<FailureEvidence, 'thrown' | 'pageAlert'> = {}): FailureEvidence {
    const diagnostics = details?.diagnostics ?? {};
    const text = (key: string) => (typeof diagnostics[key] === 'string' ? diagnostics[key] : undefined);
    const exchange = this.pendingExchange() ?? this.lastExchange;
    return {
      errorCode: details?.errorCode,
      errorMessage: details?.message,
      clientError: text('error'),
      clientErrorDescription: text('error_description'),
      exchange: exchange ? { ...exchange, clientTime: exchange.clientTime ?? text('client_time') } : undefined,
      failedStep: this.timeline.openStep,
      ...extra,
    };
  }

  report(meta: { cell: EvidenceReport['cell']; profile: string; engine: string }): EvidenceReport {
    const pending = this.pendingExchange();
    return secrets.scrubDeep({
      ...meta,
      exchanges: pending ? [...this.exchanges, pending] : this.exchanges,
      steps: this.timeline.entries,
      outcome: this.outcome,
      classification: this.classification,
    });
  }
}

/**
 * A cell that ran out of time: a token exchange still waiting for its answer is the target's
 * regression (token_exchange_failed, no-response); with nothing pending it is the suite's own
 * time running out (test-defect, timeout), with how long each step took.
 */
export function classifyTimeout(evidence: EvidenceRecorder, timeoutMs: number): Classification {
  const pending = evidence.pendingExchange();
  if (pending) return classify({ exchange: pending });
  const steps = evidence.timeline.entries
    .map((entry) => `${entry.step} ${entry.durationMs === undefined ? 'unfinished' : `${entry.durationMs} ms`}`)
    .join(', ');
  return {
    category: 'test-defect',
    cause: 'timeout',
    summary: `the cell ran out of its ${timeoutMs} ms with no request pending at the target${steps ? `; steps: ${steps}` : ''}; on a busy machine raise TIMEOUT_SCALE`,
  };
}
