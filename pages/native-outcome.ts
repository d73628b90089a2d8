import type { AuthErrorDetails } from './auth-error.page.ts';
import type { JourneyOutcome } from './login-journey.ts';
import { checkIdToken, type ExchangeResult } from '../fixtures/oauth.ts';

/** What a native app shows after its token exchange: signed in, or the error it got. */
export function nativeOutcome(exchange: ExchangeResult, nonce: string, leewaySeconds: number): JourneyOutcome {
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
  if (!idToken) return failed({});
  const checked = checkIdToken(idToken, nonce, leewaySeconds);
  if (!checked.ok) {
    return failed({
      diagnostics: {
        ...diagnostics,
        error: checked.kind === 'time' ? 'invalid_id_token_time' : 'invalid_id_token',
        error_description: checked.problem,
      },
    });
  }
  const plan = checked.claims.plan === 'plus' ? 'Plus' : 'Free';
  return { kind: 'signed-in', email: String(checked.claims.email), plan };
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
