/** Real token-endpoint refusals, verbatim from each provider's documentation or source (see `source`). */
export interface ProviderWording {
  provider: string;
  status: number | undefined;
  error: string; // the OAuth `error` field as sent
  description: string | undefined; // `error_description` verbatim, or undefined when the provider sends none
  hint?: string; // a reason sent in a non-standard field beside them (league/oauth2-server's `hint`), verbatim
  cause:
    | 'code-expired'
    | 'code-reused'
    | 'redirect-mismatch'
    | 'pkce-mismatch'
    | 'invalid-grant'
    | 'client-auth'
    | 'clock-skew'
    | 'rate-limited';
  source: string;
}

const KC = 'keycloak/keycloak services/src/main/java/org/keycloak/protocol/oidc/grants/AuthorizationCodeGrantType.java';
const KC_PKCE = 'keycloak/keycloak services/src/main/java/org/keycloak/protocol/oidc/utils/PkceUtils.java';
const FOSITE = 'ory/fosite errors.go + handler/oauth2/flow_authorize_code_token.go (Ory Hydra, Authelia fork)';
const DEX = 'dexidp/dex server/grants/authcode.go';
const ZITADEL = 'zitadel/oidc pkg/op/token_code.go + pkg/op/token_request.go (library behind ZITADEL)';
const OPENIDDICT = 'openiddict/openiddict-core src/OpenIddict.Abstractions/OpenIddictResources.resx';
const GITEA = 'go-gitea/gitea routers/web/auth/oauth2_provider.go (handleAuthorizationCode; every error is HTTP 400)';
const SPRING = 'spring-projects/spring-authorization-server oauth2-authorization-server/.../authentication';
const WSO2 = 'wso2-extensions/identity-inbound-auth-oauth AuthorizationCodeGrantHandler.java (IdentityOAuth2Exception text)';
const LLNG = 'lemonldap-ng 2.16.1 /usr/share/perl5/Lemonldap/NG/Portal/Issuer/OpenIDConnect.pm (_handleAuthorizationCodeGrant)';
const OIDC_PROVIDER = 'panva/node-oidc-provider lib/helpers/errors.js';
const LEAGUE = 'thephpleague/oauth2-server src/Grant/AuthCodeGrant.php + src/Exception/OAuthServerException.php (9.x)';
const LEAGUE_GRANT =
  'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, ' +
  'revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';
const CASDOOR = 'casdoor/casdoor object/token_oauth.go getAuthorizationCodeToken; controllers/base.go SetTokenErrorHttpStatus (400)';
const GITHUB_DOCS =
  'https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';

export const PROVIDER_WORDINGS: readonly ProviderWording[] = [
  // ───────────── code-expired ─────────────
  { provider: 'Keycloak', status: 400, error: 'invalid_grant', description: 'Code is expired', cause: 'code-expired', source: KC },
  {
    provider: 'Microsoft Entra ID (v1 endpoint)',
    status: 400,
    error: 'invalid_grant',
    description:
      'AADSTS70002: Error validating credentials. AADSTS70008: The provided authorization code or refresh token is expired. ' +
      'Send a new interactive authorization request for this user and resource.\r\nTrace ID: 3939d04c-d7ba-42bf-9cb7-1e5854cdce9e' +
      '\r\nCorrelation ID: a8125194-2dc8-4078-90ba-7b6592a7f231\r\nTimestamp: 2016-04-11 18:00:12Z',
    cause: 'code-expired',
    source: 'MicrosoftDocs/azure-docs (localized) active-directory-protocols-oauth-code.md, "Error response" sample',
  },
  {
    provider: 'Microsoft Entra ID',
    status: 400,
    error: 'invalid_grant',
    description:
      "AADSTS70000: The provided value for the 'code' parameter is not valid. The code has expired.\r\n" +
      'Trace ID: 7da0f588-0389-4720-a1a4-7858b95b5000\r\n' +
      'Correlation ID: 397ffa74-99eb-4e86-ba8e-cf91ab3783a5\r\nTimestamp: 2020-09-02 09:11:20Z',
    cause: 'code-expired',
    source: 'https://github.com/spencerwooo/onedrive-cf-index/issues/25 (raw token-endpoint response)',
  },
  {
    provider: 'WSO2 Identity Server',
    status: 400,
    error: 'invalid_grant',
    description: 'Expired or Revoked authorization code received from token request',
    // Two causes in one wording: it names neither.
    cause: 'invalid-grant',
    source: `${WSO2}; older releases say "Expired authorization code received from token request"`,
  },
  {
    provider: 'OpenIddict',
    status: 400,
    error: 'invalid_grant',
    description: 'The specified authorization code is no longer valid.',
    cause: 'code-expired',
    source: `${OPENIDDICT} ID2016, raised in OpenIddictServerHandlers.Protection.cs (invalid_token mapped to invalid_grant in Exchange.cs)`,
  },
  {
    provider: 'Gitea',
    status: 400,
    error: 'invalid_grant',
    description: 'authorization code expired',
    cause: 'code-expired',
    source: GITEA,
  },
  {
    provider: 'Salesforce',
    status: 400,
    error: 'invalid_grant',
    description: 'expired authorization code',
    cause: 'code-expired',
    source: 'https://taourl.com/read-2480848.html (quotes the Salesforce /services/oauth2/token response)',
  },
  {
    provider: 'Stripe Connect',
    status: undefined,
    error: 'invalid_grant',
    description: 'Authorization code expired',
    cause: 'code-expired',
    source: 'http://www.web-designs-uk.co.uk/n8-fD-5J-zN/connect/stripeconnection.php (raw Stripe OAuth response page)',
  },
  {
    // Graph API does not use the OAuth error shape: the body is
    // {"error":{"message":…,"type":"OAuthException","code":100,"error_subcode":36007}}.
    provider: 'Meta (Facebook Graph /oauth/access_token)',
    status: 400,
    error: 'OAuthException',
    description: 'This authorization code has expired.',
    cause: 'code-expired',
    source: 'error.message with code 100 / error_subcode 36007, as mocked from real Meta answers in client test suites (find_string)',
  },

  {
    provider: 'Spotify (accounts.spotify.com/api/token)',
    status: 400,
    error: 'invalid_grant',
    description: 'Authorization code expired',
    cause: 'code-expired',
    source: 'https://github.com/zmb3/spotify/issues/53 (raw 400 body); also spotify/web-api#1456, WebDevSimplified/spotify-clone#14',
  },
  {
    provider: 'Casdoor',
    status: 400,
    error: 'invalid_grant',
    description: 'authorization code has expired, nowUnix: [2024-09-17T19:03:29Z], token.CodeExpireIn: [1970-01-01T00:00:00Z]',
    cause: 'code-expired',
    source: `${CASDOOR}; wire text in https://github.com/casdoor/casdoor/issues/3212`,
  },
  {
    provider: 'bshaffer/oauth2-server-php',
    status: 400,
    error: 'invalid_grant',
    description: 'The authorization code has expired',
    cause: 'code-expired',
    source: 'bshaffer/oauth2-server-php src/OAuth2/GrantType/AuthorizationCode.php; wire body in bshaffer/oauth2-server-php#494',
  },
  {
    provider: 'node-oauth2-server (@node-oauth/oauth2-server)',
    status: 400,
    error: 'invalid_grant',
    description: 'Invalid grant: authorization code has expired',
    cause: 'code-expired',
    source:
      'node-oauth/node-oauth2-server lib/grant-types/authorization-code-grant-type.js; lib/handlers/token-handler.js ' +
      '(error_description = message, status = error.code)',
  },
  {
    provider: 'Yandex ID (oauth.yandex.ru/token)',
    status: undefined,
    error: 'invalid_grant',
    description: 'Code has expired',
    cause: 'code-expired',
    source: 'https://github.com/nextauthjs/next-auth/issues/11611 (Yandex token answer as logged; also #11606)',
  },
  {
    // The reason is only in `hint`; `error_description` is RFC 6749's catch-all.
    provider: 'league/oauth2-server (Laravel Passport)',
    status: 400,
    error: 'invalid_grant',
    description: LEAGUE_GRANT,
    hint: 'Authorization code has expired',
    cause: 'code-expired',
    source: `${LEAGUE} validateAuthorizationCode; 8.x sent invalid_request with the same hint`,
  },

  // ───────────── code-reused ─────────────
  {
    provider: 'Microsoft Entra ID',
    status: 400,
    error: 'invalid_grant',
    description:
      'AADSTS70002: Error validating credentials. AADSTS54005: OAuth2 Authorization code was already redeemed, ' +
      'please retry with a new valid code or use an existing refresh token.',
    cause: 'code-reused',
    source: 'MicrosoftDocs/azure-docs msal-authentication-flows.md ("Considerations", authorization code) + entra-docs AADSTS54005 row',
  },
  {
    provider: 'OpenIddict',
    status: 400,
    error: 'invalid_grant',
    description: 'The specified authorization code has already been redeemed.',
    cause: 'code-reused',
    source: `${OPENIDDICT} ID2010 (OpenIddictServerHandlers.cs TryRedeemAsync failure)`,
  },
  {
    provider: 'WSO2 Identity Server',
    status: 400,
    error: 'invalid_grant',
    description: 'Inactive authorization code received from token request',
    cause: 'code-reused',
    source: `${WSO2}; FieldView docs https://dev.fieldview.com/api-details ("Authorization codes can be used only once")`,
  },
  {
    provider: 'Gitea',
    status: 400,
    error: 'invalid_grant',
    description: 'authorization code already used',
    cause: 'code-reused',
    source: GITEA,
  },
  {
    provider: 'Ory Fosite / Hydra',
    status: 400,
    error: 'invalid_grant',
    description:
      'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, ' +
      'revoked, does not match the redirection URI used in the authorization request, or was issued to another client. ' +
      'The authorization code has already been used.',
    cause: 'code-reused',
    source: `${FOSITE} (description + " " + hint)`,
  },
  {
    provider: 'Meta (Facebook Graph /oauth/access_token)',
    status: 400,
    error: 'OAuthException',
    description: 'This authorization code has been used.',
    cause: 'code-reused',
    source: 'error.message with code 100 (non-OAuth body shape), as mocked from real Meta answers in client test suites (find_string)',
  },

  {
    provider: 'Casdoor',
    status: 400,
    error: 'invalid_grant',
    description: 'authorization code has been used for token: [admin/4f6c2d1e-8b3a-4e7f-9a05-2c7d8e1b6f30]',
    cause: 'code-reused',
    source: `${CASDOOR} (CodeIsUsed; the token id in brackets is filled in)`,
  },
  {
    provider: 'Google',
    status: 400,
    error: 'invalid_grant',
    description: 'Code was already redeemed.',
    cause: 'code-reused',
    source: 'https://github.com/bitly/oauth2_proxy/issues/368 (raw googleapis.com/oauth2/v3/token body); also expo/expo#1010',
  },
  {
    provider: 'ORCID',
    status: 400,
    error: 'invalid_grant',
    description: 'Reused authorization code: Diko4F',
    cause: 'code-reused',
    source: 'https://github.com/ORCID/ORCID-Source/pull/3815 ("example response (400)"); Plack::Auth::SSO::ORCID docs',
  },
  {
    // The grant revokes a code once exchanged (revokeAuthCode), so a second use meets this hint.
    provider: 'league/oauth2-server (Laravel Passport)',
    status: 400,
    error: 'invalid_grant',
    description: LEAGUE_GRANT,
    hint: 'Authorization code has been revoked',
    cause: 'code-reused',
    source: `${LEAGUE} validateAuthorizationCode; 8.x sent invalid_request with the same hint`,
  },

  // ───────────── redirect-mismatch ─────────────
  {
    provider: 'Keycloak',
    status: 400,
    error: 'invalid_grant',
    description: 'Incorrect redirect_uri',
    cause: 'redirect-mismatch',
    source: KC,
  },
  {
    provider: 'Ory Fosite / Hydra',
    status: 400,
    error: 'invalid_grant',
    description:
      'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, ' +
      'revoked, does not match the redirection URI used in the authorization request, or was issued to another client. ' +
      "The 'redirect_uri' from this request does not match the one from the authorize request.",
    cause: 'redirect-mismatch',
    source: `${FOSITE} (GetDescription replaces " with ')`,
  },
  {
    provider: 'Dex',
    status: 400,
    error: 'invalid_request',
    description: 'redirect_uri did not match URI from initial request.',
    cause: 'redirect-mismatch',
    source: DEX,
  },
  {
    provider: 'ZITADEL (zitadel/oidc)',
    status: 400,
    error: 'invalid_grant',
    description: 'redirect_uri does not correspond',
    cause: 'redirect-mismatch',
    source: ZITADEL,
  },
  {
    provider: 'OpenIddict',
    status: 400,
    error: 'invalid_grant',
    description:
      "The specified 'redirect_uri' parameter doesn't match the client redirection URI the authorization code was initially sent to.",
    cause: 'redirect-mismatch',
    source: `${OPENIDDICT} ID2072 (OpenIddictServerHandlers.Exchange.cs)`,
  },
  {
    provider: 'oauthlib / django-oauth-toolkit',
    status: 400,
    error: 'invalid_request',
    description: 'Mismatching redirect URI.',
    cause: 'redirect-mismatch',
    source: 'oauthlib/oauthlib oauthlib/oauth2/rfc6749/errors.py MismatchingRedirectURIError; raised in grant_types/authorization_code.py',
  },
  {
    provider: 'Gitea',
    status: 400,
    error: 'invalid_grant',
    description: 'redirect_uri differs from the original authorization request',
    cause: 'redirect-mismatch',
    source: GITEA,
  },
  {
    provider: 'Gitea',
    status: 400,
    error: 'unauthorized_client',
    description: 'unexpected redirect URI',
    cause: 'redirect-mismatch',
    source: `${GITEA} (redirect_uri not registered for the app)`,
  },
  {
    provider: 'GitHub (OAuth apps)',
    status: 200,
    error: 'redirect_uri_mismatch',
    description: 'The redirect_uri MUST match the registered callback URL for this application.',
    cause: 'redirect-mismatch',
    source: GITHUB_DOCS,
  },
  {
    provider: 'Slack (oauth.v2.access)',
    status: 200,
    error: 'bad_redirect_uri',
    description: undefined,
    cause: 'redirect-mismatch',
    source: 'Slack Web API oauth.v2.access "Errors" list (mirrored at https://hexdocs.pm/slack_kit/Slack.Web.Oauth-function-access.html)',
  },
  {
    provider: 'WSO2 Identity Server (Climate FieldView)',
    status: 400,
    error: 'invalid_grant',
    description: 'Callback url mismatch',
    cause: 'redirect-mismatch',
    source: 'https://dev.fieldview.com/api-details ("Callback URI Mismatch")',
  },
  {
    provider: 'Microsoft Entra ID (v1 endpoint)',
    status: undefined,
    error: 'invalid_grant',
    description:
      "AADSTS70002: Error validating credentials. AADSTS50011: The reply address 'https://blablabla.azurewebsites.net/' does not " +
      "match the reply address 'https://blablabla.azurewebsites.net' provided when requesting Authorization code.",
    cause: 'redirect-mismatch',
    source: 'https://github.com/PartnerCenterSamples/Reseller-Web-Application/issues/73 (newer tenants use AADSTS500112 for this)',
  },

  // ───────────── pkce-mismatch ─────────────
  {
    provider: 'Keycloak',
    status: 400,
    error: 'invalid_grant',
    description: 'PKCE verification failed: Code mismatch',
    cause: 'pkce-mismatch',
    source: KC_PKCE,
  },
  {
    provider: 'Keycloak',
    status: 400,
    error: 'invalid_grant',
    description: 'PKCE code verifier not specified',
    cause: 'pkce-mismatch',
    source: KC_PKCE,
  },
  {
    provider: 'Microsoft Entra ID',
    status: 400,
    error: 'invalid_grant',
    description: 'AADSTS50148: The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.',
    cause: 'pkce-mismatch',
    source: 'https://github.com/pennersr/django-allauth/issues/2916 (raw body); also AzureAD/microsoft-authentication-library-for-js#5044',
  },
  {
    provider: 'Microsoft Entra ID',
    status: 400,
    error: 'invalid_grant',
    description: 'AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    cause: 'pkce-mismatch',
    source:
      'https://github.com/AzureAD/microsoft-authentication-library-for-js/issues/2694; entra-docs reference-error-codes.md AADSTS501481',
  },
  {
    provider: 'Ory Fosite / Hydra',
    status: 400,
    error: 'invalid_grant',
    description:
      'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, ' +
      'revoked, does not match the redirection URI used in the authorization request, or was issued to another client. ' +
      'The PKCE code challenge did not match the code verifier.',
    cause: 'pkce-mismatch',
    source: 'ory/fosite handler/pkce/handler.go',
  },
  { provider: 'Dex', status: 400, error: 'invalid_grant', description: 'Invalid code_verifier.', cause: 'pkce-mismatch', source: DEX },
  {
    provider: 'Dex',
    status: 400,
    error: 'invalid_grant',
    description: 'Expecting parameter code_verifier in PKCE flow.',
    cause: 'pkce-mismatch',
    source: 'dexidp/dex server/grants/pkce.go',
  },
  {
    provider: 'ZITADEL (zitadel/oidc)',
    status: 400,
    error: 'invalid_grant',
    description: 'invalid code_verifier',
    cause: 'pkce-mismatch',
    source: ZITADEL,
  },
  {
    provider: 'ZITADEL (zitadel/oidc)',
    status: 400,
    error: 'invalid_request',
    description: 'code_verifier required',
    cause: 'pkce-mismatch',
    source: ZITADEL,
  },
  {
    provider: 'OpenIddict',
    status: 400,
    error: 'invalid_grant',
    description: "The specified 'code_verifier' is invalid.",
    cause: 'pkce-mismatch',
    source: `${OPENIDDICT} ID2052; wire body in https://github.com/openiddict/openiddict-core/issues/1225`,
  },
  {
    provider: 'Spring Authorization Server',
    status: 400,
    error: 'invalid_grant',
    description: 'Client authentication failed: code_verifier',
    cause: 'pkce-mismatch',
    source: `${SPRING}/CodeVerifierAuthenticator.java throwInvalidGrant(CODE_VERIFIER)`,
  },
  {
    provider: 'oauthlib / django-oauth-toolkit',
    status: 400,
    error: 'invalid_request',
    description: 'Code verifier required.',
    cause: 'pkce-mismatch',
    source: 'oauthlib/oauthlib oauthlib/oauth2/rfc6749/errors.py MissingCodeVerifierError (a wrong verifier gives bare invalid_grant)',
  },
  {
    provider: 'Gitea',
    status: 400,
    error: 'unauthorized_client',
    description: 'failed PKCE code challenge',
    cause: 'pkce-mismatch',
    source: GITEA,
  },
  {
    provider: 'Google',
    status: 400,
    error: 'invalid_grant',
    description: 'Invalid code verifier.',
    cause: 'pkce-mismatch',
    source: 'https://github.com/taers232c/GAMADV-XTD3/issues/172; https://github.com/googleapis/google-api-java-client/issues/1479',
  },
  {
    provider: 'X (Twitter) OAuth 2.0',
    status: 400,
    error: 'invalid_request',
    description: 'Value passed for the code verifier did not match the code challenge.',
    cause: 'pkce-mismatch',
    source: 'https://github.com/xdevplatform/twitter-api-typescript-sdk/issues/26',
  },
  {
    provider: 'Auth0',
    status: 403,
    error: 'invalid_grant',
    description: 'Failed to verify code verifier',
    cause: 'pkce-mismatch',
    source: 'auth0/go-auth0 authentication OAuth PKCE tests (recorded Auth0 answer); Auth0 returns 403 for invalid_grant',
  },
  {
    provider: 'Okta',
    status: 400,
    error: 'invalid_client',
    description: 'Browser requests to the token endpoint must use Proof Key for Code Exchange.',
    cause: 'pkce-mismatch',
    source: 'https://support.okta.com/help/s/article/Browser-requests-to-the-token-endpoint-must-use-Proof-Key-for-Code-Exchange',
  },

  // ───────────── invalid-grant (ambiguous) ─────────────
  {
    // Expired, reused, redirect and PKCE failures all answer this; the specific text only goes to error_detail (logs/events).
    provider: 'node-oidc-provider (panva)',
    status: 400,
    error: 'invalid_grant',
    description: 'grant request is invalid',
    cause: 'invalid-grant',
    source: `${OIDC_PROVIDER} InvalidGrant; lib/actions/grants/authorization_code.js, lib/helpers/pkce.js`,
  },
  {
    provider: 'Keycloak',
    status: 400,
    error: 'invalid_grant',
    description: 'Code not valid',
    cause: 'invalid-grant',
    source: `${KC} (isIllegalCode: unknown code and a second use of the same code)`,
  },
  {
    provider: 'oauthlib / django-oauth-toolkit',
    status: 400,
    error: 'invalid_grant',
    description: undefined,
    cause: 'invalid-grant',
    source:
      'oauthlib grant_types/authorization_code.py; jazzband/django-oauth-toolkit oauth2_validators.py validate_code (expired = unknown)',
  },
  {
    provider: 'Spring Authorization Server',
    status: 400,
    error: 'invalid_grant',
    description: undefined,
    cause: 'invalid-grant',
    source: `${SPRING}/OAuth2AuthorizationCodeAuthenticationProvider.java (unknown, reused, expired, redirect mismatch alike)`,
  },
  {
    provider: 'LemonLDAP::NG',
    status: 400,
    error: 'invalid_grant',
    description: undefined,
    cause: 'invalid-grant',
    source: `${LLNG} (unknown/expired code, PKCE, client_id and redirect_uri mismatch alike)`,
  },
  {
    provider: 'league/oauth2-server (Laravel Passport)',
    status: 400,
    error: 'invalid_grant',
    description: LEAGUE_GRANT,
    hint: 'Cannot validate the provided authorization code',
    cause: 'invalid-grant',
    source:
      `${LEAGUE} (a code that does not decrypt: bogus or forged); the cause is only in \`hint\`, ` +
      'also "Failed to verify `code_verifier`." for PKCE',
  },
  {
    provider: 'Doorkeeper (GitLab, Mastodon)',
    status: 400,
    error: 'invalid_grant',
    description:
      'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the ' +
      'authorization request, or was issued to another client.',
    cause: 'invalid-grant',
    source: 'doorkeeper-gem/doorkeeper config/locales/en.yml; lib/doorkeeper/oauth/authorization_code_request.rb',
  },
  {
    provider: 'Ory Fosite / Hydra',
    status: 400,
    error: 'invalid_grant',
    description:
      'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, ' +
      'revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
    cause: 'invalid-grant',
    source: `${FOSITE} (expired code: ErrTokenExpired wrapped, hint dropped; unknown code)`,
  },
  {
    provider: 'Dex',
    status: 400,
    error: 'invalid_grant',
    description: 'Invalid or expired code parameter.',
    cause: 'invalid-grant',
    source: `${DEX} (also sent for a code already redeemed: DeleteAuthCode ErrNotFound)`,
  },
  {
    provider: 'IdentityServer4 / Duende IdentityServer',
    status: 400,
    error: 'invalid_grant',
    description: undefined,
    cause: 'invalid-grant',
    source: 'IdentityServer/IdentityServer4 src/IdentityServer4/src/Validation/Default/TokenRequestValidator.cs (reason only logged)',
  },
  {
    provider: 'ZITADEL (zitadel/oidc)',
    status: 400,
    error: 'invalid_grant',
    description: 'invalid code',
    cause: 'invalid-grant',
    source: `${ZITADEL} AuthRequestByCode`,
  },
  {
    provider: 'authentik',
    status: 400,
    error: 'invalid_grant',
    description:
      'The provided authorization grant or refresh token is invalid, expired, revoked, does not match the redirection URI used in ' +
      'the authorization request, or was issued to another client',
    cause: 'invalid-grant',
    source: 'goauthentik/authentik authentik/providers/oauth2/errors.py TokenError; views/token.py (expired, unknown, PKCE alike)',
  },
  {
    provider: 'OpenIddict',
    status: 400,
    error: 'invalid_grant',
    description: 'The specified authorization code is invalid.',
    cause: 'invalid-grant',
    source: `${OPENIDDICT} ID2001`,
  },
  {
    provider: 'WSO2 Identity Server',
    status: 400,
    error: 'invalid_grant',
    description: 'Invalid authorization code received from token request',
    cause: 'invalid-grant',
    source: WSO2,
  },
  {
    provider: 'Gitea',
    status: 400,
    error: 'unauthorized_client',
    description: 'client is not authorized',
    // Gitea sends this for an unknown code too; its words say the client, and the suite names what is said.
    cause: 'client-auth',
    source: `${GITEA} (unknown authorization code)`,
  },
  {
    provider: 'Okta',
    status: 400,
    error: 'invalid_grant',
    description: 'The authorization code is invalid or has expired.',
    cause: 'invalid-grant',
    source: 'Okta /v1/token answer (quoted in https://learn.microsoft.com/en-us/answers/questions/2262897 and Okta client fixtures)',
  },
  {
    provider: 'Auth0',
    status: 403,
    error: 'invalid_grant',
    description: 'Invalid authorization code',
    cause: 'invalid-grant',
    source: 'https://community.auth0.com/t/authorisation-code-flow-error-403/73029 (reproduced by Auth0 staff with an expired code)',
  },
  {
    provider: 'Amazon Cognito',
    status: 400,
    error: 'invalid_grant',
    description: undefined,
    cause: 'invalid-grant',
    source: 'https://repost.aws/questions/QUribd4ytZTnmoxKt_B7DXFg (reused and expired codes both give bare invalid_grant)',
  },
  {
    provider: 'Microsoft Entra ID',
    status: 400,
    error: 'invalid_grant',
    description:
      "AADSTS70000: The provided value for the 'code' parameter is not valid.\r\nTrace ID: 68846eb0-0000-0000-0000-46e3bedae000" +
      '\r\nCorrelation ID: 145947e5-0000-0000-0000-00000ec3f8d0\r\nTimestamp: 2021-03-29 07:14:32Z',
    cause: 'invalid-grant',
    source: 'https://github.com/abraunegg/onedrive/issues/1370 (ids redacted in the issue; placeholders filled)',
  },
  {
    provider: 'Microsoft Entra ID',
    status: 400,
    error: 'invalid_grant',
    description:
      'AADSTS9002313: Invalid request. Request is malformed or invalid.\r\nTrace ID: ef1487dc-c64b-4add-9d01-6aae19bd4c00' +
      '\r\nCorrelation ID: 0261c266-b0ab-49f2-87e5-e6f8438666f7\r\nTimestamp: 2023-05-25 13:21:24Z',
    cause: 'invalid-grant',
    source: 'https://learn.microsoft.com/en-us/answers/questions/1291600/request-access-token-times-wrong',
  },
  {
    provider: 'Google',
    status: 400,
    error: 'invalid_grant',
    description: 'Malformed auth code.',
    cause: 'invalid-grant',
    source: 'https://github.com/googleworkspace/go-samples/issues/85; https://github.com/kewisch/gdata-provider/issues/23',
  },
  {
    provider: 'GitHub (OAuth apps)',
    status: 200,
    error: 'bad_verification_code',
    description: 'The code passed is incorrect or expired.',
    cause: 'invalid-grant',
    source: `${GITHUB_DOCS} ("incorrect, expired, or doesn't match")`,
  },
  {
    provider: 'Slack (oauth.v2.access)',
    status: 200,
    error: 'invalid_code',
    description: undefined,
    cause: 'invalid-grant',
    source: 'Slack oauth.v2.access "Errors" list: "Value passed for code was invalid." (hexdocs.pm mirror of the method doc)',
  },
  {
    provider: 'Discord',
    status: 400,
    error: 'invalid_grant',
    description: 'Invalid "code" in request.',
    cause: 'invalid-grant',
    source: 'discord.com/api/oauth2/token answer, matched verbatim by many Discord clients (find_string; bogus, used or expired code)',
  },
  {
    provider: 'Salesforce',
    status: 400,
    error: 'invalid_grant',
    description: 'invalid authorization code',
    cause: 'invalid-grant',
    source: 'https://taourl.com/read-2309383.html (Salesforce /services/oauth2/token)',
  },
  {
    provider: 'Dropbox',
    status: 400,
    error: 'invalid_grant',
    description: "code doesn't exist or has expired",
    cause: 'invalid-grant',
    source: 'https://avyl.ru/1c/OpenIntegrations/raw/commit/6bf8d0f89e85f76799a8e204c6b8fe78e3fd921c/docs/en/results/Dropbox/GetToken.log',
  },
  {
    provider: 'Zendesk',
    status: undefined,
    error: 'invalid_grant',
    description:
      'The provided access grant is invalid, expired, or revoked (e.g. invalid assertion, expired authorization token, bad end-user ' +
      'password credentials, or mismatching authorization code and redirection URI).',
    cause: 'invalid-grant',
    source: 'https://support.zendesk.com/hc/en-us/articles/115012709368--invalid-grant-error-when-requesting-an-OAuth-Token-',
  },
  {
    provider: 'Genesys Cloud',
    status: 400,
    error: 'invalid_grant',
    description: 'The authorization code has expired or was already used.',
    cause: 'invalid-grant',
    source: 'https://forum.sggu.com/t/pkce-authorization-code-flow-400-bad-request-on-token-exchange/10739 (returned for a PKCE mismatch)',
  },

  // ───────────── client-auth ─────────────
  {
    provider: 'Keycloak',
    status: 401,
    error: 'invalid_client',
    description: 'Invalid client or Invalid client credentials',
    cause: 'client-auth',
    source: 'keycloak/keycloak services/.../authentication/AuthenticationProcessor.java (CLIENT_NOT_FOUND, CLIENT_DISABLED)',
  },
  {
    provider: 'Keycloak',
    status: 401,
    error: 'unauthorized_client',
    description: 'Invalid client or Invalid client credentials',
    cause: 'client-auth',
    source: 'keycloak/keycloak .../authenticators/client/ClientIdAndSecretAuthenticator.java reportFailedAuth (wrong or expired secret)',
  },
  {
    provider: 'node-oidc-provider (panva)',
    status: 401,
    error: 'invalid_client',
    description: 'client authentication failed',
    cause: 'client-auth',
    source: `${OIDC_PROVIDER} InvalidClientAuth`,
  },
  {
    provider: 'oauthlib / django-oauth-toolkit',
    status: 401,
    error: 'invalid_client',
    description: undefined,
    cause: 'client-auth',
    source: 'oauthlib/oauthlib oauthlib/oauth2/rfc6749/errors.py InvalidClientError; grant_types/base.py validate_client_authentication',
  },
  {
    provider: 'Spring Authorization Server',
    status: 401,
    error: 'invalid_client',
    description: 'Client authentication failed: client_secret',
    cause: 'client-auth',
    source: `${SPRING}/ClientSecretAuthenticationProvider.java; web/OAuth2ClientAuthenticationFilter.java (401 for invalid_client)`,
  },
  {
    provider: 'Spring Authorization Server',
    status: 401,
    error: 'invalid_client',
    description: 'Client authentication failed: client_secret_expires_at',
    cause: 'client-auth',
    source: `${SPRING}/ClientSecretAuthenticationProvider.java (expired client secret)`,
  },
  {
    provider: 'LemonLDAP::NG',
    status: 401,
    error: 'invalid_client',
    description: undefined,
    cause: 'client-auth',
    source: 'lemonldap-ng 2.16.1 Portal/Lib/OpenIDConnect.pm invalidClientResponse (401 with Authorization header, 400 without)',
  },
  {
    provider: 'league/oauth2-server (Laravel Passport)',
    status: 401,
    error: 'invalid_client',
    description: 'Client authentication failed',
    cause: 'client-auth',
    source: 'thephpleague/oauth2-server src/Exception/OAuthServerException.php invalidClient',
  },
  {
    provider: 'Doorkeeper (GitLab, Mastodon)',
    status: 401,
    error: 'invalid_client',
    description:
      'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
    cause: 'client-auth',
    source: 'doorkeeper-gem/doorkeeper config/locales/en.yml',
  },
  {
    provider: 'Ory Fosite / Hydra',
    status: 401,
    error: 'invalid_client',
    description:
      'Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).',
    cause: 'client-auth',
    source: 'ory/fosite errors.go ErrInvalidClient',
  },
  {
    provider: 'Dex',
    status: 401,
    error: 'invalid_client',
    description: 'Invalid client credentials.',
    cause: 'client-auth',
    source: 'dexidp/dex server/grants/grants.go',
  },
  {
    provider: 'IdentityServer4 / Duende IdentityServer',
    status: 400,
    error: 'invalid_client',
    description: undefined,
    cause: 'client-auth',
    source: 'IdentityServer/IdentityServer4 src/IdentityServer4/src/Endpoints/TokenEndpoint.cs + Results/TokenErrorResult.cs (always 400)',
  },
  {
    provider: 'ZITADEL (zitadel/oidc)',
    status: 401,
    error: 'invalid_client',
    description: 'invalid client_id / client_secret',
    cause: 'client-auth',
    source: `${ZITADEL}; pkg/op/error.go (invalid_client -> 401)`,
  },
  {
    provider: 'authentik',
    status: 400,
    error: 'invalid_client',
    description:
      'Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)',
    cause: 'client-auth',
    source: 'goauthentik/authentik authentik/providers/oauth2/errors.py; also sent for an unregistered redirect_uri (views/token.py)',
  },
  {
    provider: 'OpenIddict',
    status: 401,
    error: 'invalid_client',
    description: 'The specified client credentials are invalid.',
    cause: 'client-auth',
    source: `${OPENIDDICT} ID2055; src/OpenIddict.Server.AspNetCore/OpenIddictServerAspNetCoreHandlers.cs (401)`,
  },
  {
    provider: 'Gitea',
    status: 400,
    error: 'unauthorized_client',
    description: 'invalid client secret',
    cause: 'client-auth',
    source: GITEA,
  },
  {
    provider: 'Gitea',
    status: 400,
    error: 'invalid_client',
    description: "cannot load client with client id: 'my-app'",
    cause: 'client-auth',
    source: GITEA,
  },
  {
    provider: 'Microsoft Entra ID',
    status: undefined,
    error: 'invalid_client',
    description: 'AADSTS7000215: Invalid client secret provided.',
    cause: 'client-auth',
    source: 'https://github.com/OfficeDev/microsoft-teams-apps-icebreaker/issues/193 ("is provided." variant); entra-docs AADSTS70002 row',
  },
  {
    provider: 'Microsoft Entra ID',
    status: undefined,
    error: 'invalid_client',
    description:
      "AADSTS7000222: The provided client secret keys for app 'd87bcc39-1750-4ca0-ad54-f8d0efbb2735' are expired. Visit the Azure portal " +
      'to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: ' +
      'https://aka.ms/certCreds.',
    cause: 'client-auth',
    source: 'https://github.com/spencerwooo/onedrive-vercel-index/issues/1051; https://github.com/dotnet/sign/issues/849',
  },
  {
    provider: 'GitHub (OAuth apps)',
    status: 200,
    error: 'incorrect_client_credentials',
    description: 'The client_id and/or client_secret passed are incorrect.',
    cause: 'client-auth',
    source: GITHUB_DOCS,
  },
  {
    provider: 'Slack (oauth.v2.access)',
    status: 200,
    error: 'bad_client_secret',
    description: undefined,
    cause: 'client-auth',
    source: 'Slack oauth.v2.access "Errors" list (also invalid_client_id)',
  },
  {
    provider: 'Auth0',
    status: 401,
    error: 'access_denied',
    description: 'Unauthorized',
    cause: 'client-auth',
    source: 'https://github.com/auth0-samples/auth0-angular-samples/issues/201; auth0/laravel-auth0#42 (wrong client secret / auth method)',
  },
  {
    provider: 'Okta',
    status: 401,
    error: 'invalid_client',
    description: 'The client secret supplied for a confidential client is invalid.',
    cause: 'client-auth',
    source: 'Okta /v1/token answer as recorded in Okta client test fixtures (find_string)',
  },

  // ───────────── rate-limited ─────────────
  {
    provider: 'node-oidc-provider (panva)',
    status: 400,
    error: 'slow_down',
    description: 'you are polling too quickly and should back off at a reasonable rate',
    cause: 'rate-limited',
    source: `${OIDC_PROVIDER} SlowDown (device_code / CIBA polling only, never for authorization_code)`,
  },
  {
    provider: 'ZITADEL (zitadel/oidc)',
    status: 400,
    error: 'slow_down',
    description: 'Polling should continue, but the interval MUST be increased by 5 seconds for this and all subsequent requests.',
    cause: 'rate-limited',
    source: 'zitadel/oidc pkg/oidc/error.go ErrSlowDown (device flow)',
  },
  {
    provider: 'Auth0',
    status: 500,
    error: 'access_denied',
    description: 'Global limit has been reached',
    cause: 'rate-limited',
    source: 'https://community.auth0.com/t/global-limit-has-been-reached/77440 (/oauth/token answered 500, not 429)',
  },
  {
    provider: 'AWS Sign-In (OAuth token API)',
    status: 429,
    error: 'INVALID_REQUEST',
    description: undefined,
    cause: 'rate-limited',
    source: 'https://docs.aws.amazon.com/botocore/latest/reference/services/signin/client/exceptions/TooManyRequestsError.html',
  },
];

/** What brokers and their libraries say when a federated sign-in fails past the upstream, verbatim (see `source`). */
export interface FederationWording {
  product: string;
  text: string;
  cause: 'upstream-code-refused' | 'upstream-id-token' | 'federated-state-lost' | 'account-linking' | 'upstream-unreachable';
  source: string;
}

const KC_MSG = 'keycloak/keycloak themes/src/main/resources/theme/base/login/messages/messages_en.properties';
const KC_OIDC = 'keycloak/keycloak services/src/main/java/org/keycloak/broker/oidc/OIDCIdentityProvider.java';
const ENTRA = 'MicrosoftDocs/entra-docs docs/identity-platform/reference-error-codes.md';
const IDMODEL = 'AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet src/Microsoft.IdentityModel.Tokens/LogMessages.cs';
const AUTHJS = 'nextauthjs/next-auth packages/core/src/lib/actions/callback/oauth/checks.ts';
const ASPNET = 'dotnet/aspnetcore src/Security/Authentication/OAuth/src/OAuthHandler.cs';
const PSA = 'python-social-auth/social-core social_core/exceptions.py';
const ALLAUTH = 'pennersr/django-allauth allauth/socialaccount/adapter.py';
const JOSE = 'panva/jose src/util/errors.ts, src/lib/jwt_claims_set.ts';

export const FEDERATION_WORDINGS_SEEN: readonly FederationWording[] = [
  {
    product: 'Entra ID',
    text: 'AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    cause: 'upstream-code-refused',
    source: ENTRA,
  },
  {
    product: 'Entra ID',
    text: 'AADSTS70002: Error validating credentials. AADSTS70008: The provided authorization code or refresh token is expired. Send a new interactive authorization request for this user and resource.',
    cause: 'upstream-code-refused',
    source: 'MicrosoftDocs/azure-docs articles/active-directory/azuread-dev/v1-protocols-oauth-code.md',
  },
  {
    product: 'Entra ID',
    text: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{appId}'.",
    cause: 'upstream-code-refused',
    source: 'https://github.com/keycloak/keycloak/issues/31294',
  },
  {
    product: 'Keycloak',
    text: 'Unexpected response from token endpoint https://login.microsoftonline.com/common/oauth2/v2.0/token. status=401, response={"error":"invalid_client"}',
    cause: 'upstream-code-refused',
    source: 'keycloak/keycloak services/src/main/java/org/keycloak/broker/oidc/AbstractOAuth2IdentityProvider.java',
  },
  { product: 'Keycloak', text: 'Could not obtain token from identity provider.', cause: 'upstream-code-refused', source: KC_MSG },
  {
    product: 'Google OAuth',
    text: 'invalid_grant Malformed auth code.',
    cause: 'upstream-code-refused',
    source: 'https://github.com/googleworkspace/go-samples/issues/85',
  },
  {
    product: 'Google OAuth',
    text: 'invalid_grant Code was already redeemed.',
    cause: 'upstream-code-refused',
    source: 'https://github.com/bitly/oauth2_proxy/issues/368',
  },
  {
    product: 'ASP.NET Core',
    text: 'OAuth token endpoint failure: Status: BadRequest;Headers: ;Body: ;',
    cause: 'upstream-code-refused',
    source: ASPNET,
  },
  { product: 'Keycloak', text: 'token signature validation failed', cause: 'upstream-id-token', source: KC_OIDC },
  {
    product: 'Keycloak',
    text: 'Wrong issuer from token. Got: https://sts.windows.net/x/ expected: https://login.microsoftonline.com/x/v2.0',
    cause: 'upstream-id-token',
    source: KC_OIDC,
  },
  { product: 'Keycloak', text: 'Invalid signature in response from identity provider.', cause: 'upstream-id-token', source: KC_MSG },
  {
    product: 'Microsoft.IdentityModel',
    text: "IDX10501: Signature validation failed. Unable to match key: kid: 'abc'.",
    cause: 'upstream-id-token',
    source: IDMODEL,
  },
  {
    product: 'Microsoft.IdentityModel',
    text: "IDX10222: Lifetime validation failed. The token is not yet valid. ValidFrom: '{0}', Current time: '{1}'.",
    cause: 'upstream-id-token',
    source: IDMODEL,
  },
  { product: 'jose', text: 'no applicable key found in the JSON Web Key Set', cause: 'upstream-id-token', source: JOSE },
  { product: 'jose', text: '"iat" claim timestamp check failed (it should be in the past)', cause: 'upstream-id-token', source: JOSE },
  {
    product: 'python-social-auth',
    text: 'Token error: Incorrect id_token: nbf',
    cause: 'upstream-id-token',
    source: 'python-social-auth/social-core social_core/backends/open_id_connect.py',
  },
  {
    product: 'Keycloak',
    text: 'Missing state parameter in response from identity provider.',
    cause: 'federated-state-lost',
    source: KC_MSG,
  },
  {
    product: 'Keycloak',
    text: 'Restart login cookie not found. It may have expired; it may have been deleted or cookies are disabled in your browser. If cookies are disabled then enable them. Click Back to Application to login again.',
    cause: 'federated-state-lost',
    source: 'https://github.com/keycloak/keycloak/issues/38206',
  },
  { product: 'Auth0', text: 'Invalid state', cause: 'federated-state-lost', source: 'auth0/auth0-spa-js src/Auth0Client.ts' },
  { product: 'Auth.js', text: 'InvalidCheck: State cookie was missing', cause: 'federated-state-lost', source: AUTHJS },
  { product: 'ASP.NET Core', text: 'Correlation failed.', cause: 'federated-state-lost', source: ASPNET },
  { product: 'python-social-auth', text: 'AuthStateMissing: Session value state missing.', cause: 'federated-state-lost', source: PSA },
  {
    product: 'Spring Security',
    text: '[authorization_request_not_found]',
    cause: 'federated-state-lost',
    source: 'spring-projects/spring-security OAuth2LoginAuthenticationFilter.java',
  },
  {
    product: 'Keycloak',
    text: 'User with email ada@outlook.com already exists. Please login to account management to link the account.',
    cause: 'account-linking',
    source: KC_MSG,
  },
  {
    product: 'Keycloak',
    text: 'Federated identity returned by microsoft is already linked to another user.',
    cause: 'account-linking',
    source: KC_MSG,
  },
  {
    product: 'django-allauth',
    text: 'An account already exists with this email address. Please sign in to that account first, then connect your Microsoft account.',
    cause: 'account-linking',
    source: ALLAUTH,
  },
  {
    product: 'Auth.js',
    text: 'To confirm your identity, sign in with the same account you used originally.',
    cause: 'account-linking',
    source: 'nextauthjs/next-auth packages/core/src/lib/pages/signin.tsx',
  },
  { product: 'python-social-auth', text: 'AuthAlreadyAssociated: This account is already in use.', cause: 'account-linking', source: PSA },
  {
    product: 'Keycloak',
    text: 'Could not send authentication request to identity provider.',
    cause: 'upstream-unreachable',
    source: KC_MSG,
  },
  {
    product: 'openid-client',
    text: 'RPError: outgoing request timed out after 3500ms',
    cause: 'upstream-unreachable',
    source: 'panva/openid-client lib/helpers/request.js (v5.7.1)',
  },
  {
    product: 'undici',
    text: 'TypeError: fetch failed ... cause: Error: connect ECONNREFUSED 127.0.0.1:8000',
    cause: 'upstream-unreachable',
    source: 'https://github.com/The-Vibe-Company/quivr/issues/1827',
  },
  {
    product: 'Spring Security',
    text: '[invalid_token_response] An error occurred while attempting to retrieve the OAuth 2.0 Access Token Response: I/O error on POST request for "https://login.microsoftonline.com/x/oauth2/v2.0/token": Connection timed out: connect',
    cause: 'upstream-unreachable',
    source: 'https://github.com/jeetmp3/tutorials/issues/1',
  },
];

/** Broker pages that say the same for every cause: they name none. */
export const FEDERATION_WORDINGS_AMBIGUOUS: readonly string[] = [
  'Unexpected error when authenticating with identity provider', // Keycloak, for refused codes, id_tokens and unreachable upstreams alike
  'Third-Party Login Failure', // django-allauth, for every provider error
  'Failed to obtain access token', // passport-oauth2
];
