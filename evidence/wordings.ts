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

/** What a broker (or the page it ends on) says when a federated sign-in failed at a hop past the login itself. */
export type FederationCause =
  'federated-state-lost' | 'account-linking' | 'upstream-unreachable' | 'upstream-id-token' | 'upstream-code-refused';

/**
 * Each federation cause with the words brokers and their libraries use for it (Keycloak, Auth0,
 * Auth.js, ASP.NET Core, Spring Security, python-social-auth, django-allauth, openid-client, jose,
 * Entra ID's AADSTS and IDX codes, Google's OAuth errors; unit/provider-wordings.ts holds them
 * verbatim). Each set matches its own cause's wordings and none of the others'. A broker page
 * that says the same for several causes (Keycloak's "Unexpected error when authenticating with
 * identity provider") names none.
 */
export const FEDERATION_WORDINGS: readonly { cause: FederationCause; words: RegExp }[] = [
  {
    cause: 'federated-state-lost',
    words:
      /Missing state parameter|does not contain a state parameter|state parameter is (missing|invalid)|\b(missing|invalid)_state\b|state_mismatch|missing_transaction|state mismatch|Restart login cookie not found|Cookie not found\. Please make sure cookies|\bInvalid state\b|State (\((cookie|encoded)\) )?(cookie )?(was missing|value could not be parsed)|InvalidCheck|code_verifier (cookie was missing|value could not be parsed)|Nonce (cookie )?was (missing|null)|\bIDX21323\b|Correlation failed|oauth state was missing or invalid|unprotect the message\.State|Session value state missing|Wrong state parameter given|authorization_request_not_found|authorization request state|couldn't find your session|response parameter "state" missing|unexpected "state" response parameter|state missing from the response|checks\.state argument is missing|broker account linking, but current session is no longer valid/i,
  },
  {
    cause: 'account-linking',
    words:
      /account linking (refused|not allowed)|email_verified|OAuthAccountNotLinked|sign in with the same account you used originally|already exists\. (Please login to account management to link|How do you want to continue)|Account already exists|Add to existing account|already linked to another user|An account already exists with this email|already connected to a different account|has no verified email|This account is already in use|AuthAlreadyAssociated|verify your email address to link your account/i,
  },
  {
    cause: 'upstream-unreachable',
    words:
      /fetch failed|\bE(CONNREFUSED|CONNRESET|TIMEDOUT|NOTFOUND|AI_AGAIN)\b|(outgoing |operation )?(request )?timed out after|\boperation timed out\b|\brequest timed out\b|ERR_JWKS_TIMEOUT|OAUTH_TIMEOUT|invalid_token_response|I\/O error on (POST|GET) request|UnknownHostException|(HttpHost)?ConnectException|Connection (refused|timed out)|Could not send authentication request to identity provider|provider could not be reached|Connection error:|\bIDX208(03|04|06|07|08|09)\b|Unable to (obtain configuration|retrieve document) from|Discovery failed for the OpenID Connect configuration|performing the authorization code grant request/i,
  },
  {
    cause: 'upstream-id-token',
    words:
      /\bIDX10(205|214|222|223|500|501|503|511)\b|\bAADSTS50027\b|Wrong (issuer|audience) from token|Token is no longer valid|Token issued for does not match|token signature validation failed|Invalid signature in response from identity provider|invalid_id_token|ID Token contains invalid claims|Signed JWT rejected|claim timestamp check failed|unexpected (JWT )?"?(iss|aud|nbf|exp|iat)"?( \([a-z ]+\))? (claim )?value|no (applicable|valid) keys? found|signature verification failed|JWT (not active yet|expired, now)|failed to validate JWT signature|Signature has expired|Invalid (id_token|signature)\b|Incorrect id_token|Invalid 'kid'|invalid nonce/i,
  },
  {
    cause: 'upstream-code-refused',
    words:
      /\bAADSTS(54005|70008|700082|70002|7000215|7000222|50011|700005)\b|invalid_grant|invalid_client|incorrect_client_credentials|redirect_uri_mismatch|Malformed (auth )?code|Code was already redeemed|OAuth client was not found|OAuth token endpoint failure|Unexpected response from token endpoint|Error retrieving access token|No access.?token (available|from server)|exchange the authorization code|Could not obtain token from identity provider|retrieving token from identity provider|Invalid key\/secret/i,
  },
];
