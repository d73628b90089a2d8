/**
 * The one place a failed sign-in gets its verdict: `classify` turns what the sign-in left behind
 * (the token exchange, the app's error page, the error the journey raised, the page's alert, what
 * the signed-in page showed) into a category, a cause and a summary. Pure: it reads the evidence
 * and decides nothing else. It works from what any target gives — HTTP status, the OAuth error and
 * its description in the provider's own words (evidence/wordings.ts), timings, the server's Date
 * against the client's clock, proxy headers — and uses the lab's own headers only as hints.
 */
import { errors } from '@playwright/test';
import { AuthmatrixError, type Classification } from './verdict.ts';
import type { FederationEvidence } from './hops.ts';
import {
  AMBIGUOUS_REFUSAL,
  CAUSE_WORDINGS,
  CLIENT_REFUSALS,
  FEDERATION_WORDINGS,
  GRANT_REFUSALS,
  NON_STANDARD_ERRORS,
  RATE_LIMIT_WORDS,
  type FederationCause,
} from './wordings.ts';

export { CATEGORIES, CATEGORY_NAMES, classificationLabel, type Category, type Classification } from './verdict.ts';

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
  'client-auth',
  'edge',
  'cookie-state',
  'invalid-grant',
  'upstream-code-refused',
  'upstream-id-token',
  'federated-state-lost',
  'account-linking',
  'upstream-unreachable',
  'upstream-refused',
  'unknown',
] as const;
export type TokenExchangeCause = (typeof TOKEN_EXCHANGE_CAUSES)[number];

export interface ExchangeEvidence {
  status: number;
  error?: string | undefined;
  errorDescription?: string | undefined;
  /** A reason some providers send beside the standard fields (league/oauth2-server's `hint`). */
  errorHint?: string | undefined;
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

/** What the signed-in page showed against what the cell expected. */
export interface SignedInEvidence {
  /** The account or plan shown differs from the account signed in: what was shown and what was expected. */
  wrongAccount?: { shown: string; expected: string } | undefined;
  /** An account with a second factor enrolled was never asked for it. */
  secondFactorNotAsked?: { channel: string } | undefined;
}

export interface FailureEvidence {
  /** What the app (or native client) showed at the end. */
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  /** The diagnostics' OAuth error, e.g. invalid_id_token_time raised by the client itself. */
  clientError?: string | undefined;
  clientErrorDescription?: string | undefined;
  exchange?: ExchangeEvidence | undefined;
  /** How long the provider's codes live, where the profile says (tokenExchange.codeLifetimeSeconds). */
  codeLifetimeMs?: number | undefined;
  /** The error the journey raised (an AuthmatrixError carries its own verdict). */
  thrown?: unknown;
  /** A page load that failed at the network layer, as the browser named it (net::ERR_CONNECTION_REFUSED). */
  navigationFailure?: { url: string; errorText: string } | undefined;
  /** The journey step that was running when it stopped, and any alert the page showed. */
  failedStep?: string | undefined;
  pageAlert?: string | undefined;
  signedIn?: SignedInEvidence | undefined;
  /** The test ran out of its time: its limit and each step's time. */
  timedOut?: { timeoutMs: number; steps: string } | undefined;
  /** The sign-in went through an upstream provider: its hops (evidence/hops.ts). */
  federation?: FederationEvidence | undefined;
}

/** The network errors, as browsers and Node name them, that mean nothing answered at the address. */
const UNREACHABLE_ERRORS = new Set([
  'net::ERR_CONNECTION_REFUSED',
  'net::ERR_NAME_NOT_RESOLVED',
  'net::ERR_ADDRESS_UNREACHABLE',
  'net::ERR_CONNECTION_RESET',
  'net::ERR_CONNECTION_TIMED_OUT',
  'net::ERR_PROXY_CONNECTION_FAILED',
  'net::ERR_TUNNEL_CONNECTION_FAILED',
  'NS_ERROR_CONNECTION_REFUSED',
  'NS_ERROR_UNKNOWN_HOST',
  'NS_ERROR_PROXY_CONNECTION_REFUSED',
  'Could not connect to server',
  'Could not connect to the server.',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ECONNRESET',
]);
const CLOCK_SKEW_LIMIT_S = 60;
/** Without a lifetime from the profile, a refused code this old is taken to have outlived it. */
const PRESUMED_EXPIRED_AFTER_MS = 10_000;

/** The client's clock against the server's Date, in whole seconds (the Date header has no finer grain). */
export function skewSeconds(exchange: ExchangeEvidence | undefined): number | undefined {
  if (!exchange?.serverDate || !exchange.clientTime) return undefined;
  const server = Date.parse(exchange.serverDate);
  const client = Date.parse(exchange.clientTime);
  if (Number.isNaN(server) || Number.isNaN(client)) return undefined;
  return Math.round((client - server) / 1000);
}

/** The endpoint's answer as it was said: `403 invalid_code "The code has expired"`. */
export function quotedAnswer(exchange: ExchangeEvidence): string {
  const said = [exchange.status ? String(exchange.status) : 'no status', exchange.error].filter(Boolean).join(' ');
  const described = exchange.errorDescription ? `${said} "${exchange.errorDescription}"` : said;
  return exchange.errorHint ? `${described} (hint "${exchange.errorHint}")` : described;
}

function exchangeFacts(exchange: ExchangeEvidence | undefined): string {
  if (!exchange) return 'no token response was seen';
  if (exchange.pendingMs !== undefined) return 'the request was still open when the cell ended';
  const hints = [
    exchange.requestId && `request_id ${exchange.requestId}`,
    exchange.node && `node ${exchange.node}`,
    exchange.entry && `entry ${exchange.entry}`,
  ].filter(Boolean);
  return `the token endpoint answered ${quotedAnswer(exchange)}${hints.length ? ` (${hints.join(', ')})` : ''}`;
}

const CLIENT_AUTH =
  "the token endpoint did not accept the client's credentials: a client secret expired or rotated, or a client the provider does not know";

const REFUSED_CODE_CANDIDATES =
  'a code already used, a PKCE verifier or redirect_uri that does not match the authorization request, a code past its lifetime, a node that does not know the code, or a policy on the account';

function tokenExchangeCause(evidence: FailureEvidence): { cause: TokenExchangeCause; why: string } {
  const exchange = evidence.exchange;
  const standardError = exchange?.error ? (NON_STANDARD_ERRORS[exchange.error] ?? exchange.error) : undefined;
  const text = [exchange?.error, exchange?.errorDescription, exchange?.errorHint, evidence.clientError, evidence.clientErrorDescription]
    .filter(Boolean)
    .join(' ');
  const skew = skewSeconds(exchange);
  const age = exchange?.codeAgeMs;
  const ageText = age !== undefined ? ` ${age} ms after it reached the client` : '';

  if (exchange?.pendingMs !== undefined) {
    return {
      cause: 'no-response',
      why: `the token request ${exchange.endpoint ? `to ${exchange.endpoint} ` : ''}${exchange.entry ? `through ${exchange.entry} ` : ''}had no answer after ${exchange.pendingMs} ms, when the client gave up: a node or a proxy on the way held it`,
    };
  }
  const idTokenProblem = /^invalid_id_token_(signature|audience|issuer)$/.exec(evidence.clientError ?? '')?.[1];
  const detail = evidence.clientErrorDescription ?? 'no detail';
  if (idTokenProblem === 'signature')
    return {
      cause: 'id-token-signature',
      why: `the id_token's signature does not verify against the keys the provider publishes (${detail}): tokens signed with a key missing from its JWKS`,
    };
  if (idTokenProblem === 'audience') return { cause: 'id-token-audience', why: `the id_token was issued to another audience (${detail})` };
  if (idTokenProblem === 'issuer') return { cause: 'id-token-issuer', why: `the id_token names another issuer (${detail})` };
  if (evidence.errorCode === 'login_state_lost' || (evidence.clientError ?? '').includes('state')) {
    return { cause: 'cookie-state', why: 'the login state the client kept (state, PKCE verifier) did not survive to the exchange' };
  }

  // A sentence that names several causes at once (RFC 6749's "invalid, expired, revoked, …", "invalid
  // or has expired") names none; a sentence beside it may still name one (Ory's hints follow the RFC's).
  const sentences = text.split(/(?<=[.!?])\s+(?=[A-Z])/);
  const ambiguous = sentences.some((sentence) => AMBIGUOUS_REFUSAL.test(sentence));
  const specific = sentences.filter((sentence) => !AMBIGUOUS_REFUSAL.test(sentence)).join(' ');
  const worded = CAUSE_WORDINGS.find(
    ({ cause, words }) =>
      words.test(specific) &&
      // A verifier that is missing was dropped on the way (edge); one that does not match was lost (cookie-state).
      (cause !== 'cookie-state' || !/missing/i.test(specific)) &&
      (cause !== 'edge' || standardError === 'invalid_request'),
  )?.cause;
  if (exchange?.status === 401 && worded === undefined) return { cause: 'client-auth', why: `${CLIENT_AUTH} (it answered 401)` };
  switch (worded) {
    case 'cookie-state':
      return { cause: 'cookie-state', why: 'the PKCE verifier the client kept does not match the authorization request, or was not sent' };
    case 'clock-skew':
      return {
        cause: 'clock-skew',
        why: `the token's time claims and the client's clock disagree${skew !== undefined ? ` (client clock ${skew >= 0 ? '+' : ''}${skew} s against the server's Date)` : ''}`,
      };
    case 'upstream-email-verification':
      return {
        cause: 'upstream-email-verification',
        why: 'the token service waited on an upstream email verification that did not answer in time',
      };
    case 'risk-policy':
      return { cause: 'risk-policy', why: 'a risk policy refused to issue tokens for this account' };
    case 'claims-error':
      return { cause: 'claims-error', why: 'looking up the claims to put in the tokens failed' };
    case 'redirect-mismatch':
      return {
        cause: 'redirect-mismatch',
        why: 'the redirect_uri of the token request does not match the authorization request or the registered ones',
      };
    case 'code-reused':
      return {
        cause: 'code-reused',
        why: `the code had already been exchanged once (this exchange${ageText || ' came later'}): the client, or something replaying its request, exchanged it twice`,
      };
    case 'client-auth':
      return { cause: 'client-auth', why: CLIENT_AUTH };
    case 'edge':
      return {
        cause: 'edge',
        why: 'the token request reached the server without what the client sent: an entry point in between changed it',
      };
    case 'code-expired': {
      const lifetime = evidence.codeLifetimeMs;
      if (lifetime !== undefined && age !== undefined && age < lifetime)
        return {
          cause: 'invalid-grant',
          why: `the provider says the code expired, but it was exchanged${ageText}, inside its ${lifetime / 1000} s lifetime (tokenExchange.codeLifetimeSeconds): the words do not fit the evidence; the candidates are ${REFUSED_CODE_CANDIDATES}`,
        };
      return { cause: 'code-expired', why: `the authorization code had expired when it was exchanged${ageText}` };
    }
    case 'code-unknown':
    case undefined:
      break;
  }
  if (exchange?.via !== undefined && exchange.status === 502)
    return {
      cause: 'edge',
      why: 'a proxy on the way answered 502 for the token request: an entry point between the client and the server failed it',
    };
  if (standardError !== undefined && CLIENT_REFUSALS.has(standardError)) return { cause: 'client-auth', why: CLIENT_AUTH };
  if ((standardError !== undefined && GRANT_REFUSALS.has(standardError)) || worded === 'code-unknown' || ambiguous) {
    const fresh = age === undefined || age < (evidence.codeLifetimeMs ?? PRESUMED_EXPIRED_AFTER_MS);
    if (fresh && !ambiguous && (worded === 'code-unknown' || exchange?.node !== undefined)) {
      return {
        cause: 'code-not-replicated',
        why: `a code issued moments ago was unknown to the node that served the exchange${exchange?.node ? ` (${exchange.node})` : ''}: the token service read a store the code had not reached`,
      };
    }
    if (fresh)
      return {
        cause: 'invalid-grant',
        why: `the token endpoint refused a code${age !== undefined ? ` ${age} ms old` : ''} without saying which of its usual causes: ${REFUSED_CODE_CANDIDATES}`,
      };
    return { cause: 'code-expired', why: `the code was refused when exchanged${ageText}, past the lifetime codes usually have` };
  }
  if (skew !== undefined && Math.abs(skew) > CLOCK_SKEW_LIMIT_S)
    return { cause: 'clock-skew', why: `the client clock is ${skew} s off the server's Date` };
  return { cause: 'unknown', why: 'nothing in the response says why' };
}

const hostOf = (origin: string) => {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
};

const FEDERATION_WHY: Record<FederationCause, (upstream: string) => string> = {
  'federated-state-lost': (upstream) =>
    `the provider could not match ${upstream}'s answer to the sign-in it started: its state (a cookie) did not survive the return`,
  'account-linking': (upstream) => `the provider refused to link the account ${upstream} vouched for`,
  'upstream-unreachable': (upstream) => `the provider could not reach ${upstream} from its side (its server-side call failed)`,
  'upstream-id-token': (upstream) => `the provider refused ${upstream}'s id_token (its signature, issuer or times)`,
  'upstream-code-refused': (upstream) => `${upstream} refused the provider's exchange of its code`,
};

/**
 * The cause of a federated sign-in that failed past the upstream: the broker's words (or the
 * upstream's, or the page's), and failing words, the hops themselves: the broker's cookies not
 * carried back by the upstream's return, or an error the upstream sent back.
 */
function federationCause(evidence: FailureEvidence, federation: FederationEvidence): { cause: TokenExchangeCause; why: string } {
  const upstream = hostOf(federation.upstream);
  const said = [
    federation.brokerError?.error,
    federation.brokerError?.description,
    evidence.errorMessage,
    evidence.clientErrorDescription,
    evidence.pageAlert,
  ]
    .filter(Boolean)
    .join(' ');
  const worded = FEDERATION_WORDINGS.find(({ words }) => words.test(said))?.cause;
  const returned = federation.returned;
  const lost = returned && returned.expected.length > 0 && !returned.expected.some((cookie) => returned.carried.includes(cookie.name));
  const lostWhy = lost
    ? `; the return came by ${returned.method === 'POST' ? 'a cross-site POST (response_mode=form_post)' : returned.method} without the provider's ${returned.expected
        .map((cookie) => `${cookie.name}${cookie.sameSite ? ` (SameSite=${cookie.sameSite})` : ''}`)
        .join(
          ', ',
        )}${returned.method === 'POST' && returned.expected.some((cookie) => /^(lax|strict)$/i.test(cookie.sameSite ?? 'lax')) ? ': a SameSite=Lax or Strict cookie is not sent with a cross-site POST' : ''}`
    : '';
  if (worded) return { cause: worded, why: `${FEDERATION_WHY[worded](upstream)}${worded === 'federated-state-lost' ? lostWhy : ''}` };
  if (lost) return { cause: 'federated-state-lost', why: `${FEDERATION_WHY['federated-state-lost'](upstream)}${lostWhy}` };
  if (federation.upstreamError)
    return {
      cause: 'upstream-refused',
      why: `${upstream} ended the sign-in with ${federation.upstreamError.error}${federation.upstreamError.description ? ` "${federation.upstreamError.description}"` : ''} on its way back`,
    };
  return { cause: 'unknown', why: `the sign-in through ${upstream} failed past the upstream, and nothing on the way says why` };
}

/** What kind of error a thrown value is, by its type (never by its words). */
function thrownKind(thrown: unknown): 'timeout' | 'assertion' | 'exception' {
  if (thrown instanceof errors.TimeoutError) return 'timeout';
  if (thrown && typeof thrown === 'object' && 'matcherResult' in thrown) return 'assertion';
  return 'exception';
}

function firstLine(thrown: unknown): string {
  const message =
    thrown && typeof thrown === 'object' && 'message' in thrown && typeof thrown.message === 'string' ? thrown.message : String(thrown);
  return message.split('\n')[0] ?? '';
}

/** The verdict of a failed sign-in, from everything it left behind: the one function that decides one. */
export function classify(evidence: FailureEvidence): Classification {
  const { exchange, thrown } = evidence;
  const own = thrown instanceof AuthmatrixError ? thrown.classification : undefined;

  if (
    exchange?.status === 429 ||
    (exchange !== undefined && exchange.status >= 400 && RATE_LIMIT_WORDS.test(exchange.errorDescription ?? '')) ||
    evidence.errorCode === 'rate_limited' ||
    exchange?.error === 'slow_down' ||
    exchange?.error === 'rate_limited' ||
    own?.category === 'rate_limited'
  ) {
    return own?.category === 'rate_limited' && exchange?.status !== 429
      ? own
      : { category: 'rate_limited', summary: `the target refused for too many attempts: ${exchangeFacts(exchange)}` };
  }
  if (own?.category === 'target-unreachable') return own;
  if (exchange?.error === 'network_error')
    return { category: 'target-unreachable', summary: `the target could not be reached: ${exchange.errorDescription ?? 'no answer'}` };
  if (evidence.navigationFailure && UNREACHABLE_ERRORS.has(evidence.navigationFailure.errorText))
    return {
      category: 'target-unreachable',
      summary: `the target could not be reached: ${evidence.navigationFailure.errorText} at ${evidence.navigationFailure.url}`,
    };
  // Through an upstream, failed before the client had a code of its own to exchange: a hop of the
  // federation. Once the provider handed the app its code, a failure is the app's own.
  const { federation } = evidence;
  if (
    federation &&
    !federation.passed &&
    !exchange &&
    (federation.brokerError ?? federation.upstreamError ?? evidence.errorCode) !== undefined
  ) {
    const { cause, why } = federationCause(evidence, federation);
    const said =
      federation.brokerError ?? (evidence.errorCode ? { error: evidence.errorCode, description: evidence.errorMessage } : undefined);
    return {
      category: 'token_exchange_failed',
      cause,
      summary: `${why}; hops: ${federation.chain}${said ? `; the provider answered ${said.error}${said.description ? ` "${said.description}"` : ''}` : ''}`,
    };
  }
  if (
    evidence.errorCode === 'token_exchange_failed' ||
    evidence.errorCode === 'login_state_lost' ||
    (exchange && (exchange.status >= 400 || exchange.status === 0 || exchange.error !== undefined))
  ) {
    const { cause, why } = tokenExchangeCause(evidence);
    return { category: 'token_exchange_failed', cause, summary: `${why}; ${exchangeFacts(exchange)}` };
  }
  if (own) return own;
  const { signedIn } = evidence;
  if (signedIn?.secondFactorNotAsked)
    return {
      category: 'security-regression',
      cause: 'second-factor-not-asked',
      summary: `the account has a ${signedIn.secondFactorNotAsked.channel} second factor enrolled and was signed in without being asked for it`,
    };
  if (signedIn?.wrongAccount)
    return {
      category: 'login-step-failed',
      cause: 'wrong-account',
      summary: `signed in as ${signedIn.wrongAccount.shown}, expected ${signedIn.wrongAccount.expected}`,
    };
  if (evidence.errorCode) {
    return {
      category: 'login-step-failed',
      cause: evidence.errorCode,
      summary: `the sign-in ended with ${evidence.errorCode}: ${evidence.errorMessage ?? ''}`.trim(),
    };
  }
  if (evidence.pageAlert && thrown !== undefined) {
    return {
      category: 'login-step-failed',
      cause: evidence.failedStep ?? 'unknown-step',
      summary: `the target stopped the sign-in${evidence.failedStep ? ` at "${evidence.failedStep}"` : ''} saying "${evidence.pageAlert}"`,
    };
  }
  if (evidence.timedOut)
    return {
      category: 'test-defect',
      cause: 'timeout',
      summary: `the cell ran out of its ${evidence.timedOut.timeoutMs} ms with no request pending at the target${evidence.timedOut.steps ? `; steps: ${evidence.timedOut.steps}` : ''}; on a busy machine raise TIMEOUT_SCALE`,
    };
  if (thrown !== undefined) {
    const kind = thrownKind(thrown);
    return {
      category: 'test-defect',
      cause: kind,
      summary: `the suite's own ${kind === 'exception' ? 'code failed' : `${kind} gave up`}${evidence.failedStep ? ` at "${evidence.failedStep}"` : ''} with the page showing no error: ${firstLine(thrown)}`,
    };
  }
  return {
    category: 'test-defect',
    cause: 'unexplained',
    summary: 'the sign-in failed without a response, an error page or an exception to explain it',
  };
}
