import type { AuthErrorDetails } from '../evidence/error-page.ts';
import type { JourneyOutcome } from '../pages/login-journey.ts';
import { exchangeCode, fetchJwks, verifyIdToken, type ExchangeResult, type IdTokenCheck, type Pkce } from './oauth.ts';
import type { TokenExchangeRecord } from '../evidence/evidence.ts';
import type { ClientRegistration } from '../targets/profile.ts';
import type { CodeSource } from '../accounts/account.ts';
import type { ProviderProfile } from '../pages/identity-provider.ts';

/** What a native client (the iOS app, the desktop CLI) is configured with. */
export interface NativeClientOptions {
  /** The provider's issuer and JWKS, which the client verifies its id_token against. */
  issuer: string;
  jwksUri: string;
  authorizationEndpoint: string;
  /** Where the client sends its token request (the mobile gateway, for the iOS app). */
  tokenEndpoint: string;
  client: ClientRegistration;
  /** The identity provider's screens, from the target profile. */
  provider: ProviderProfile;
  codes: CodeSource;
  /** The client's own HTTP, through the cell's network path. */
  fetchImpl: typeof fetch;
  leewaySeconds?: number;
  /** How long the client waits for the token endpoint's answer before it gives up (already scaled). */
  tokenRequestTimeoutMs?: number;
  /** Told of the token exchange as it happens, for the evidence. */
  onExchange?: (record: TokenExchangeRecord) => void;
}

const ID_TOKEN_ERRORS: Record<Exclude<IdTokenCheck, { ok: true }>['kind'], string> = {
  signature: 'invalid_id_token_signature',
  issuer: 'invalid_id_token_issuer',
  audience: 'invalid_id_token_audience',
  nonce: 'invalid_id_token_nonce',
  time: 'invalid_id_token_time',
  format: 'invalid_id_token',
};

/** What a native app shows after its token exchange and the check of its id_token: signed in, or the error it got. */
export function nativeOutcome(exchange: ExchangeResult, checked: IdTokenCheck | undefined): JourneyOutcome {
  const { record, idToken } = exchange;
  const diagnostics: Record<string, unknown> = {
    stage: 'token_exchange',
    endpoint: record.endpoint,
    status: record.status,
    error: record.error ?? null,
    error_description: record.errorDescription ?? null,
    entry: record.entry ?? null,
    node: record.node ?? null,
    server_date: record.serverDate ?? null,
    client_time: record.clientTime,
    duration_ms: record.durationMs,
  };
  const failed = (details: Partial<AuthErrorDetails>): JourneyOutcome => ({
    kind: 'error',
    details: {
      errorCode: record.status === 429 ? 'rate_limited' : 'token_exchange_failed',
      requestId: record.requestId,
      message: 'The app could not finish signing in.',
      diagnostics,
      ...details,
    },
  });
  if (!idToken || !checked) return failed({});
  if (!checked.ok) {
    return failed({
      diagnostics: { ...diagnostics, error: ID_TOKEN_ERRORS[checked.kind], error_description: checked.problem },
    });
  }
  const { email, plan } = checked.claims;
  return {
    kind: 'signed-in',
    email: typeof email === 'string' ? email : undefined,
    plan: plan === 'plus' ? 'Plus' : plan === 'free' ? 'Free' : undefined,
  };
}

/** The identity provider ended the sign-in with an error before any code was issued. */
export function authorizationError(params: URLSearchParams): JourneyOutcome {
  return {
    kind: 'error',
    details: {
      errorCode: params.get('error') ?? 'unknown_error',
      requestId: undefined,
      message: params.get('error_description') ?? 'The identity provider ended the sign-in.',
      diagnostics: { stage: 'authorization', error: params.get('error'), error_description: params.get('error_description') },
    },
  };
}

/**
 * What a native client does with the redirect it caught: an error ends the sign-in; a state it did
 * not send is refused; else it exchanges the code itself and checks the id_token.
 */
export async function completeNativeSignIn(
  options: NativeClientOptions,
  params: URLSearchParams,
  pkce: Pkce,
  redirectUri: string = options.client.redirectUri,
): Promise<JourneyOutcome> {
  const codeReceivedAt = Date.now();
  if (params.get('error')) return authorizationError(params);
  if (params.get('state') !== pkce.state) throw new Error('the redirect to the client carried a state it did not send');
  const exchange = await exchangeCode({
    endpoint: options.tokenEndpoint,
    code: params.get('code') ?? '',
    client: options.client,
    redirectUri,
    verifier: pkce.verifier,
    fetchImpl: options.fetchImpl,
    codeReceivedAt,
    ...(options.tokenRequestTimeoutMs === undefined ? {} : { timeoutMs: options.tokenRequestTimeoutMs }),
  });
  options.onExchange?.(exchange.record);
  if (!exchange.idToken) return nativeOutcome(exchange, undefined);
  const checked = await verifyIdToken(exchange.idToken, {
    jwks: await fetchJwks(options.jwksUri, options.fetchImpl),
    issuer: options.issuer,
    clientId: options.client.clientId,
    nonce: pkce.nonce,
    leewaySeconds: options.leewaySeconds ?? 300,
  });
  return nativeOutcome(exchange, checked);
}
