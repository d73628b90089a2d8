/**
 * What a sign-in leaves behind for a failure report: its token exchange (endpoint, method, status,
 * OAuth error, request_id, entry point and serving node, timings, the server's Date against the
 * client's clock), its journey steps and how it ended. Nothing secret is ever stored: no code,
 * verifier, token, password, TOTP secret or cookie, and no URL query.
 */
import type { Page, Request, Response } from '@playwright/test';
import type { Cell } from '../matrix/cells.ts';
import type { Classification, ExchangeEvidence, FailureEvidence } from './classify.ts';
import type { AuthErrorDetails } from '../pages/auth-error.page.ts';
import { Timeline } from '../pages/timeline.ts';
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

const JWT = /eyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]*/g;
const SECRET_PARAMS = /\b(code|code_verifier|access_token|id_token|refresh_token|password|state|nonce)=([^&\s"]+)/gi;

/** Belt and braces: strips anything shaped like a token or a secret parameter from a string. */
export function redactText(text: string): string {
  return text.replace(JWT, '[redacted-jwt]').replace(SECRET_PARAMS, '$1=[redacted]');
}

function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        /cookie|authorization|secret|password|token$/i.test(key) ? '[redacted]' : redactDeep(item),
      ]),
    ) as T;
  }
  return value;
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
  readonly #pending = new Map<Request, { startedAt: number }>();
  readonly #reading = new Set<Promise<void>>();

  constructor(
    private readonly tokenExchange: { url: RegExp; method: string },
    private readonly callbackPrefix: string,
  ) {}

  /** Watches a page's traffic for the token exchange and the moment the code reached the app. */
  watch(page: Page): void {
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith(this.callbackPrefix)) this.#callbackAt = Date.now();
      if (request.method() === this.tokenExchange.method && this.tokenExchange.url.test(url))
        this.#pending.set(request, { startedAt: Date.now() });
    });
    page.on('response', (response) => {
      if (response.status() === 429) this.rateLimited = true;
      const reading = this.#onResponse(response).finally(() => this.#reading.delete(reading));
      this.#reading.add(reading);
    });
    page.on('requestfailed', (request) => {
      const pending = this.#pending.get(request);
      if (!pending) return;
      this.#pending.delete(request);
      this.exchanges.push({
        endpoint: pathOnly(request.url()),
        method: request.method(),
        startedAt: new Date(pending.startedAt).toISOString(),
        status: 0,
        error: 'network_error',
        errorDescription: request.failure()?.errorText,
        durationMs: Date.now() - pending.startedAt,
        codeAgeMs: this.#callbackAt === undefined ? undefined : pending.startedAt - this.#callbackAt,
      });
    });
  }

  async #onResponse(response: Response): Promise<void> {
    const pending = this.#pending.get(response.request());
    if (!pending) return;
    this.#pending.delete(response.request());
    const headers = response.headers();
    const entry: TokenExchangeEvidence = {
      endpoint: pathOnly(response.url()),
      method: response.request().method(),
      startedAt: new Date(pending.startedAt).toISOString(),
      status: response.status(),
      requestId: headers['x-request-id'],
      serverDate: headers.date,
      via: headers.via,
      node: headers['x-lab-node'],
      entry: headers['x-lab-entry'],
      durationMs: Date.now() - pending.startedAt,
      codeAgeMs: this.#callbackAt === undefined ? undefined : pending.startedAt - this.#callbackAt,
    };
    this.exchanges.push(entry);
    // A successful response holds the tokens: only an error body is read, and only its error fields.
    if (response.status() >= 400) {
      const body = (await response.json().catch(() => ({}))) as { error?: unknown; error_description?: unknown };
      if (typeof body.error === 'string') entry.error = body.error;
      if (typeof body.error_description === 'string') entry.errorDescription = body.error_description;
    }
  }

  /** A native client's own exchange, made outside the browser. */
  recordNativeExchange(record: TokenExchangeRecord, codeAgeMs?: number): void {
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
      codeAgeMs,
    });
  }

  /** Waits until every token response seen so far has been read. */
  async settled(): Promise<void> {
    await Promise.all(this.#reading);
  }

  get lastExchange(): TokenExchangeEvidence | undefined {
    return this.exchanges.at(-1);
  }

  /** The evidence the classifier reads, from the app's error page and the recorded exchange. */
  failureEvidence(details: AuthErrorDetails | undefined, extra: Pick<FailureEvidence, 'thrown' | 'pageAlert'> = {}): FailureEvidence {
    const diagnostics = details?.diagnostics ?? {};
    const text = (key: string) => (typeof diagnostics[key] === 'string' ? diagnostics[key] : undefined);
    const exchange = this.lastExchange;
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
    return redactDeep({
      ...meta,
      exchanges: this.exchanges,
      steps: this.timeline.entries,
      outcome: this.outcome,
      classification: this.classification,
    });
  }
}
