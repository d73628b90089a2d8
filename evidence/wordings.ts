/**
 * What token endpoints say, by meaning: the words real providers use in `error_description` for
 * each cause of a refused exchange, and the non-standard `error` codes some of them send, mapped to
 * the standard code they mean. Data only; evidence/classify.ts reads it. The wordings come from the
 * providers' own documentation and source (unit/provider-wordings.ts holds them verbatim, with
 * where each was found, and the classifier's tests hold every one to its cause).
 */

/** Causes a token endpoint's own words can name; the classifier adds those that come from elsewhere. */
export type WordedCause =
  | 'clock-skew'
  | 'upstream-email-verification'
  | 'risk-policy'
  | 'claims-error'
  | 'redirect-mismatch'
  | 'code-reused'
  | 'cookie-state'
  | 'client-auth'
  | 'edge'
  | 'code-expired'
  | 'code-unknown';

/**
 * Words that say either of several causes at once ("invalid or has expired", RFC 6749's own "is
 * invalid, expired, revoked, does not match …"): they name no single cause, whatever one of their
 * words says alone.
 */
export const AMBIGUOUS_REFUSAL = /\bor (has |is |was )?(already )?expired\b|\bexpired,? or\b|invalid, expired, revoked/i;

/** Each cause with the words that say it, most specific first: the first that matches names the cause. */
export const CAUSE_WORDINGS: readonly { cause: WordedCause; words: RegExp }[] = [
  // Before "expired": PKCE and redirect wordings may mention a code too.
  {
    cause: 'cookie-state',
    words:
      /pkce|proof key for code exchange|code[_ ]verifier|code[_ ]challenge|codeverifier|verifier (does not|doesn't) match|failed to verify code verifier|AADSTS(50148|501481)\b/i,
  },
  {
    cause: 'redirect-mismatch',
    words:
      /redirect[_ ]?ur[il]s?\b.*(mismatch|does ?n[o']t match|incorrect|is wrong|not registered|not valid|invalid|differ)|(mismatch|incorrect|wrong|invalid|unregistered|unexpected)[^.]*redirect[_ ]?uri|reply url|callback url mismatch|AADSTS(50011|500112|500113)\b|redirect_uri_mismatch|bad_redirect_uri/i,
  },
  {
    cause: 'code-reused',
    words:
      /already (been )?(used|redeemed|consumed|exchanged)|(code|grant) (was |has been )?(reused|replayed|used)\b|\breused\b|AADSTS54005\b|used more than once|inactive authorization code|authorization code has been revoked/i,
  },
  { cause: 'clock-skew', words: /id_token_time|\bclock\b|issued .* (future|ago)|\biat\b|not yet valid|\bnbf\b|used before|in the future/i },
  { cause: 'upstream-email-verification', words: /email verification|email-verification|mailbox verification/i },
  { cause: 'risk-policy', words: /\brisk\b/i },
  { cause: 'claims-error', words: /claim|subscription|entitlement/i },
  {
    cause: 'client-auth',
    words:
      /client (authentication|auth) failed|invalid client (secret|credentials)|client[_ ]secret|unknown client|client not found|bad client credentials|AADSTS(7000215|7000222|700016|7000218)\b/i,
  },
  // A request changed on the way: said with invalid_request (a refused grant that calls itself malformed is not this).
  { cause: 'edge', words: /missing required parameter|malformed|not allowed in this request/i },
  { cause: 'code-expired', words: /\bexpired?\b|AADSTS70008\b|lifetime|too old|no longer valid/i },
  { cause: 'code-unknown', words: /not found|unknown (authorization )?code|does not exist|no such (code|grant)/i },
];

/**
 * Non-standard `error` codes some providers send, mapped to the standard code (RFC 6749 §5.2) they
 * mean; the report still quotes the code as it was said.
 */
export const NON_STANDARD_ERRORS: Readonly<Record<string, string>> = {
  invalid_code: 'invalid_grant',
  invalid_authorization_code: 'invalid_grant',
  expired_code: 'invalid_grant',
  code_expired: 'invalid_grant',
  expired_token: 'invalid_grant',
  bad_verification_code: 'invalid_grant',
  authorization_code_expired: 'invalid_grant',
  unauthorized: 'invalid_client',
  invalid_client_secret: 'invalid_client',
  incorrect_client_credentials: 'invalid_client',
  bad_client_secret: 'invalid_client',
};

/** Words that say the target refused for too many attempts, whatever its status. */
export const RATE_LIMIT_WORDS = /rate.?limit|too many (requests|attempts)|limit has been reached|throttl/i;

/** Standard codes that refuse the grant or the client itself (as opposed to a server failure). */
export const GRANT_REFUSALS = new Set(['invalid_grant']);
export const CLIENT_REFUSALS = new Set(['invalid_client', 'unauthorized_client']);
