/**
 * Turns what a failed sign-in left behind into a category and a root cause. Pure: it reads the
 * evidence and decides nothing else. It works from what any target gives — HTTP status, the OAuth
 * error and its description, timings, the server's Date against the client's clock, proxy headers —
 * and uses the lab's own headers (serving node, entry point) only as hints.
 */
export const CATEGORIES = ['token_exchange_failed', 'rate_limited', 'login-step-failed', 'target-unreachable', 'test-defect'] as const;
export type Category = (typeof CATEGORIES)[number];

export const TOKEN_EXCHANGE_CAUSES = [
  'no-response',
  'id-token-signature',
  'id-token-audience',
  'id-token-issuer',
  'code-not-replicated',
  'code-reused',
  'redirect-mismatch',
  'code-expired',
  'clock-skew',
  'upstream-email-verification',
  'risk-policy',
  'claims-error',
  'edge',
  'cookie-state',
  'invalid-grant',
  'unknown',
] as const;
export type TokenExchangeCause = (typeof TOKEN_EXCHANGE_CAUSES)[number];

export interface ExchangeEvidence {
  status: number;
  error?: string | undefined;
  errorDescription?: string | undefined;
  requestId?: string | undefined;
  /** Server's Date header and the client's clock when the response came, both ISO or HTTP dates. */
  serverDate?: string | undefined;
  clientTime?: string | undefined;
  durationMs?: number | undefined;
  /** Time from the code reaching the client to the exchange starting. */
  codeAgeMs?: number | undefined;
  /** The exchange had no answer when the client gave up: how long it had been waiting. */
  pendingMs?: number | undefined;
  /** The token endpoint (path) the request went to. */
  endpoint?: string | undefined;
  /** Proxy headers on the response (Via), when any. */
  via?: string | undefined;
  /** Lab hints, absent on real targets. */
  node?: string | undefined;
  entry?: string | undefined;
}

export interface FailureEvidence {
  /** What the app (or native client) showed at the end. */
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  /** The diagnostics' OAuth error, e.g. invalid_id_token_time raised by the client itself. */
  clientError?: string | undefined;
  clientErrorDescription?: string | undefined;
  exchange?: ExchangeEvidence | undefined;
  /** An exception thrown while driving the journey. */
  thrown?: { name: string; message: string } | undefined;
  /** The journey step that was running when it stopped, and any alert the page showed. */
  failedStep?: string | undefined;
  pageAlert?: string | undefined;
}

export interface Classification {
  category: Category;
  cause?: string;
  /** One sentence a reader can act on. */
  summary: string;
}

/** `token_exchange_failed (code-not-replicated)`; the failure message starts with this. */
export function classificationLabel(classification: Pick<Classification, 'category' | 'cause'>): string {
  return classification.cause ? `${classification.category} (${classification.cause})` : classification.category;
}

/**
 * An error the suite raises knowing what it means (the target unreachable, an account stopped
 * after a 429, no account free to lease): it carries its classification as data, and its message
 * leads with the classification's label for the person reading it.
 */
export class ClassifiedError extends Error {
  readonly classification: Classification;

  constructor(classification: Classification) {
    super(`${classificationLabel(classification)}: ${classification.summary}`);
    this.name = new.target.name;
    this.classification = classification;
  }
}

const UNREACHABLE =
  /ERR_CONNECTION_REFUSED|ERR_NAME_NOT_RESOLVED|ERR_ADDRESS_UNREACHABLE|ERR_CONNECTION_RESET|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ERR_PROXY_CONNECTION_FAILED|ERR_TUNNEL_CONNECTION_FAILED|NS_ERROR_CONNECTION_REFUSED|Could not connect/i;
const CLOCK_SKEW_LIMIT_S = 60;

function skewSeconds(exchange: ExchangeEvidence | undefined): number | undefined {
  if (!exchange?.serverDate || !exchange.clientTime) return undefined;
  const server = Date.parse(exchange.serverDate);
  const client = Date.parse(exchange.clientTime);
  if (Number.isNaN(server) || Number.isNaN(client)) return undefined;
  return Math.round((client - server) / 1000);
}

function exchangeFacts(exchange: ExchangeEvidence | undefined): string {
  if (!exchange) return 'no token response was seen';
  if (exchange.pendingMs !== undefined) return 'the request was still open when the cell ended';
  const parts = [`the token endpoint answered ${exchange.status || 'nothing'}`];
  if (exchange.error) parts.push(exchange.errorDescription ? `${exchange.error} "${exchange.errorDescription}"` : exchange.error);
  else if (exchange.errorDescription) parts.push(`with ${exchange.errorDescription}`);
  const hints = [
    exchange.requestId && `request_id ${exchange.requestId}`,
    exchange.node && `node ${exchange.node}`,
    exchange.entry && `entry ${exchange.entry}`,
  ].filter(Boolean);
  return `${parts.join(' ')}${hints.length ? ` (${hints.join(', ')})` : ''}`;
}

function tokenExchangeCause(evidence: FailureEvidence): { cause: TokenExchangeCause; why: string } {
  const exchange = evidence.exchange;
  const text =
    `${exchange?.error ?? ''} ${exchange?.errorDescription ?? ''} ${evidence.clientError ?? ''} ${evidence.clientErrorDescription ?? ''}`.toLowerCase();
  const skew = skewSeconds(exchange);

  if (exchange?.pendingMs !== undefined) {
    return {
      cause: 'no-response',
      why: `the token request ${exchange.endpoint ? `to ${exchange.endpoint} ` : ''}${exchange.entry ? `through ${exchange.entry} ` : ''}had no answer after ${exchange.pendingMs} ms, when the client gave up: a node or a proxy on the way held it`,
    };
  }
  const idTokenProblem = /^invalid_id_token_(signature|audience|issuer)$/.exec(evidence.clientError ?? '')?.[1];
  if (idTokenProblem === 'signature')
    return {
      cause: 'id-token-signature',
      why: `the id_token's signature does not verify against the keys the provider publishes (${evidence.clientErrorDescription ?? 'no detail'}): tokens signed with a key missing from its JWKS`,
    };
  if (idTokenProblem === 'audience')
    return {
      cause: 'id-token-audience',
      why: `the id_token was issued to another audience (${evidence.clientErrorDescription ?? 'no detail'})`,
    };
  if (idTokenProblem === 'issuer')
    return { cause: 'id-token-issuer', why: `the id_token names another issuer (${evidence.clientErrorDescription ?? 'no detail'})` };

  if (
    evidence.errorCode === 'login_state_lost' ||
    /state/.test(evidence.clientError ?? '') ||
    (/pkce|code_verifier|code verifier/.test(text) && !/missing/.test(text))
  ) {
    return { cause: 'cookie-state', why: 'the login state the client kept (state, PKCE verifier) did not survive to the exchange' };
  }
  if (/id_token_time|\bclock\b|issued .* (future|ago)|\biat\b|not yet valid|\bnbf\b/.test(text)) {
    return {
      cause: 'clock-skew',
      why: `the token's time claims and the client's clock disagree${skew !== undefined ? ` (client clock ${skew >= 0 ? '+' : ''}${skew} s against the server's Date)` : ''}`,
    };
  }
  if (/email verification|email-verification|mailbox verification/.test(text)) {
    return {
      cause: 'upstream-email-verification',
      why: 'the token service waited on an upstream email verification that did not answer in time',
    };
  }
  if (/risk/.test(text)) return { cause: 'risk-policy', why: 'a risk policy refused to issue tokens for this account' };
  if (/claim|subscription|entitlement/.test(text))
    return { cause: 'claims-error', why: 'looking up the claims to put in the tokens failed' };
  if (
    /redirect[_ ]?ur[il]s?\b.*(mismatch|does ?n[o']t match|incorrect|is wrong|not registered)|(mismatch|incorrect|wrong|invalid)[^.]*redirect[_ ]?uri|reply url/.test(
      text,
    )
  ) {
    return {
      cause: 'redirect-mismatch',
      why: 'the redirect_uri of the token request does not match the authorization request or the registered ones',
    };
  }
  if (/already (been )?(used|redeemed|consumed|exchanged)|\breused\b/.test(text)) {
    return {
      cause: 'code-reused',
      why: `the code had already been exchanged once${exchange?.codeAgeMs !== undefined ? ` (this exchange ${exchange.codeAgeMs} ms after the code reached the client)` : ''}: the client, or something replaying its request, exchanged it twice`,
    };
  }
  if (
    /missing required parameter|malformed|not allowed in this request/.test(text) ||
    (exchange?.via !== undefined && exchange.status === 502)
  ) {
    return {
      cause: 'edge',
      why: 'the token request reached the server without what the client sent: an entry point in between changed it',
    };
  }
  if (/expired/.test(text))
    return {
      cause: 'code-expired',
      why: `the authorization code had expired when it was exchanged${exchange?.codeAgeMs !== undefined ? ` (${exchange.codeAgeMs} ms after it reached the client)` : ''}`,
    };
  if (/not found|grant request is invalid|invalid_grant|invalid_code|code not valid/.test(text)) {
    const fresh = exchange?.codeAgeMs === undefined || exchange.codeAgeMs < 10_000;
    if (fresh && (/not found|unknown code|does not exist/.test(text) || exchange?.node !== undefined)) {
      return {
        cause: 'code-not-replicated',
        why: `a code issued moments ago was unknown to the node that served the exchange${exchange?.node ? ` (${exchange.node})` : ''}: the token service read a store the code had not reached`,
      };
    }
    if (fresh) {
      return {
        cause: 'invalid-grant',
        why: 'the token endpoint refused a code moments old (invalid_grant) without saying why; the usual causes are a code already used, a PKCE verifier or redirect_uri that does not match the authorization request, a node that does not know the code, or a policy on the account',
      };
    }
    return { cause: 'code-expired', why: `the code was exchanged ${exchange?.codeAgeMs ?? '?'} ms after it was issued` };
  }
  if (skew !== undefined && Math.abs(skew) > CLOCK_SKEW_LIMIT_S)
    return { cause: 'clock-skew', why: `the client clock is ${skew} s off the server's Date` };
  return { cause: 'unknown', why: 'nothing in the response says why' };
}

export function classify(evidence: FailureEvidence): Classification {
  const exchange = evidence.exchange;
  const thrownText = evidence.thrown ? `${evidence.thrown.name}: ${evidence.thrown.message}` : '';

  if (
    exchange?.status === 429 ||
    evidence.errorCode === 'rate_limited' ||
    exchange?.error === 'slow_down' ||
    exchange?.error === 'rate_limited'
  ) {
    return { category: 'rate_limited', summary: `the target refused for too many attempts: ${exchangeFacts(exchange)}` };
  }
  if (UNREACHABLE.test(thrownText) || exchange?.error === 'network_error') {
    return {
      category: 'target-unreachable',
      summary: `the target could not be reached: ${(evidence.thrown?.message ?? exchange?.errorDescription ?? '').split('\n')[0]}`,
    };
  }
  if (
    evidence.errorCode === 'token_exchange_failed' ||
    evidence.errorCode === 'login_state_lost' ||
    (exchange && (exchange.status >= 400 || exchange.status === 0))
  ) {
    const { cause, why } = tokenExchangeCause(evidence);
    return { category: 'token_exchange_failed', cause, summary: `${why}; ${exchangeFacts(exchange)}` };
  }
  if (evidence.errorCode) {
    return {
      category: 'login-step-failed',
      cause: evidence.errorCode,
      summary: `the sign-in ended with ${evidence.errorCode}: ${evidence.errorMessage ?? ''}`.trim(),
    };
  }
  if (evidence.pageAlert) {
    return {
      category: 'login-step-failed',
      cause: evidence.failedStep ?? 'unknown-step',
      summary: `the target stopped the sign-in${evidence.failedStep ? ` at "${evidence.failedStep}"` : ''} saying "${evidence.pageAlert}"`,
    };
  }
  if (evidence.thrown) {
    const kind = /locator|getBy|toBe|toHave|waiting for/i.test(thrownText)
      ? 'locator'
      : /timeout/i.test(thrownText)
        ? 'timeout'
        : 'exception';
    return {
      category: 'test-defect',
      cause: kind,
      summary: `the suite's own ${kind === 'exception' ? 'code failed' : `${kind} gave up`}${evidence.failedStep ? ` at "${evidence.failedStep}"` : ''} with the page showing no error: ${evidence.thrown.message.split('\n')[0]}`,
    };
  }
  return {
    category: 'test-defect',
    cause: 'unexplained',
    summary: 'the sign-in failed without a response, an error page or an exception to explain it',
  };
}

/**
 * The test-result annotation that carries a failure's classification to reporters: its
 * description is the classification as JSON. Reporters read this, never the failure message.
 */
export const CLASSIFICATION_ANNOTATION = 'authmatrix.classification';

/** The Allure labels a classified result carries; the report's categories match on them (allurerc.mjs). */
export const ALLURE_CATEGORY_LABEL = 'authmatrix.category';
export const ALLURE_CAUSE_LABEL = 'authmatrix.cause';

interface Annotated {
  annotations: { type: string; description?: string | undefined }[];
}

/** Records `classification` on a test result (replacing an earlier one of the same attempt). */
export function recordClassification(result: Annotated, classification: Classification): void {
  const index = result.annotations.findIndex((annotation) => annotation.type === CLASSIFICATION_ANNOTATION);
  if (index >= 0) result.annotations.splice(index, 1);
  result.annotations.push({ type: CLASSIFICATION_ANNOTATION, description: JSON.stringify(classification) });
}

/** The classification a test result carries, if any. */
export function classificationOf(result: {
  annotations: readonly { type: string; description?: string | undefined }[];
}): Classification | undefined {
  const description = result.annotations.find((annotation) => annotation.type === CLASSIFICATION_ANNOTATION)?.description;
  return description === undefined ? undefined : (JSON.parse(description) as Classification);
}
