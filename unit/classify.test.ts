import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchCategory, normalizeCategoriesConfig, type CategoryRule } from '@allurereport/core-api';
import { errors } from '@playwright/test';
import { classify } from '../evidence/classify.ts';
import {
  ALLURE_CATEGORY_LABEL,
  ALLURE_CAUSE_LABEL,
  AuthmatrixError,
  CATEGORY_NAMES,
  classificationOf,
  recordClassification,
} from '../evidence/verdict.ts';
import { CATEGORY_LABEL, CAUSE_LABEL, categoryRules } from '../allurerc.mjs';
import { PROVIDER_WORDINGS } from './provider-wordings.ts';

const exchange = (fields: Record<string, unknown>) => ({ status: 400, ...fields });

test('a code unknown right after issuance is code-not-replicated, from the response alone', () => {
  const result = classify({
    errorCode: 'token_exchange_failed',
    exchange: exchange({
      error: 'invalid_grant',
      errorDescription: 'grant request is invalid (authorization code not found)',
      codeAgeMs: 300,
    }),
  });
  assert.deepEqual([result.category, result.cause], ['token_exchange_failed', 'code-not-replicated']);
});

test('a plain invalid_grant long after issuance is code-expired', () => {
  const result = classify({
    errorCode: 'token_exchange_failed',
    exchange: exchange({ error: 'invalid_grant', errorDescription: 'grant request is invalid', codeAgeMs: 90_000 }),
  });
  assert.equal(result.cause, 'code-expired');
  assert.equal(
    classify({
      errorCode: 'token_exchange_failed',
      exchange: exchange({ error: 'invalid_grant', errorDescription: 'grant request is invalid (authorization code is expired)' }),
    }).cause,
    'code-expired',
  );
});

test('causes from what real targets say', () => {
  const cases: [Record<string, unknown>, string][] = [
    [
      { status: 503, error: 'temporarily_unavailable', errorDescription: 'upstream email verification timed out after 300 ms' },
      'upstream-email-verification',
    ],
    [{ error: 'invalid_grant', errorDescription: 'grant request is invalid (risk policy rejected token issuance)' }, 'risk-policy'],
    [{ status: 500, error: 'server_error', errorDescription: 'subscription claims lookup failed' }, 'claims-error'],
    [{ error: 'invalid_request', errorDescription: "missing required parameter 'code'", via: '1.1 edge-west' }, 'edge'],
    [{ error: 'invalid_grant', errorDescription: 'grant request is invalid (PKCE verification failed)' }, 'cookie-state'],
    [{ status: 500, error: 'server_error', errorDescription: 'oops! something went wrong' }, 'unknown'],
    // A bare refusal of a fresh code names no store: it is an invalid grant, its usual causes listed.
    [
      { error: 'invalid_grant', errorDescription: 'grant request is invalid (mailbox ownership could not be confirmed)', codeAgeMs: 400 },
      'invalid-grant',
    ],
    [{ error: 'invalid_grant', errorDescription: 'Invalid authorization code', codeAgeMs: 300 }, 'invalid-grant'],
    // Words that merely contain "iat" or "clock" are not about time.
    [{ error: 'invalid_grant', errorDescription: 'the grant is not associated with this client', codeAgeMs: 300 }, 'invalid-grant'],
  ];
  for (const [fields, cause] of cases)
    assert.equal(classify({ errorCode: 'token_exchange_failed', exchange: exchange(fields) }).cause, cause, JSON.stringify(fields));
});

test('descriptions real providers give for a refused code name what they say, and only that', () => {
  const entraTrace =
    '\r\nTrace ID: 0f1e2d3c-aaaa-bbbb-cccc-1234567890ab\r\nCorrelation ID: 9a8b7c6d-1111-2222-3333-abcdefabcdef\r\nTimestamp: 2026-11-30 10:42:17Z';
  const cases: [string, Record<string, unknown>, string][] = [
    // oidc-provider: one description for every refused code, the detail kept server-side.
    [
      'oidc-provider, fresh code',
      { error: 'invalid_grant', errorDescription: 'grant request is invalid', codeAgeMs: 350 },
      'invalid-grant',
    ],
    [
      'oidc-provider, code 2 min old',
      { error: 'invalid_grant', errorDescription: 'grant request is invalid', codeAgeMs: 120_000 },
      'code-expired',
    ],
    // Keycloak: one description for unknown, used and expired codes.
    ['Keycloak, code not valid', { error: 'invalid_grant', errorDescription: 'Code not valid', codeAgeMs: 500 }, 'invalid-grant'],
    ['Keycloak, redirect', { error: 'invalid_grant', errorDescription: 'Incorrect redirect_uri', codeAgeMs: 500 }, 'redirect-mismatch'],
    ['Keycloak, PKCE', { error: 'invalid_grant', errorDescription: 'PKCE verification failed: Invalid code verifier' }, 'cookie-state'],
    // Auth0
    [
      'Auth0, code',
      { status: 403, error: 'invalid_grant', errorDescription: 'Invalid authorization code', codeAgeMs: 400 },
      'invalid-grant',
    ],
    ['Auth0, verifier', { status: 403, error: 'invalid_grant', errorDescription: 'Failed to verify code verifier' }, 'cookie-state'],
    [
      'Auth0, redirect',
      { status: 403, error: 'invalid_grant', errorDescription: 'Redirect URI is wrong. You sent http://a/cb, and we expected http://b/cb' },
      'redirect-mismatch',
    ],
    // Microsoft Entra ID: AADSTS codes, with a trace that carries a timestamp (not a clock problem).
    [
      'Entra ID, expired',
      {
        error: 'invalid_grant',
        errorDescription: `AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.${entraTrace}`,
      },
      'code-expired',
    ],
    [
      'Entra ID, redeemed',
      {
        error: 'invalid_grant',
        errorDescription: `AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.${entraTrace}`,
        codeAgeMs: 800,
      },
      'code-reused',
    ],
    [
      'Entra ID, PKCE',
      {
        error: 'invalid_grant',
        errorDescription: `AADSTS50148: The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.${entraTrace}`,
      },
      'cookie-state',
    ],
    [
      'Entra ID, redirect',
      {
        error: 'invalid_client',
        errorDescription: `AADSTS50011: The redirect URI 'http://localhost:3000/cb' specified in the request does not match the redirect URIs configured for the application.${entraTrace}`,
      },
      'redirect-mismatch',
    ],
    // A provider that answers an expired code with a non-standard 403.
    [
      '403 invalid_code, expired',
      { status: 403, error: 'invalid_code', errorDescription: 'The code has expired', codeAgeMs: 30_000 },
      'code-expired',
    ],
    ['403 invalid_code, bare', { status: 403, error: 'invalid_code', codeAgeMs: 600 }, 'invalid-grant'],
  ];
  for (const [provider, fields, cause] of cases) {
    const result = classify({ errorCode: 'token_exchange_failed', exchange: exchange(fields) });
    assert.deepEqual([result.category, result.cause], ['token_exchange_failed', cause], provider);
  }
  const bare = classify({
    errorCode: 'token_exchange_failed',
    exchange: exchange({ error: 'invalid_grant', errorDescription: 'grant request is invalid', codeAgeMs: 350 }),
  });
  assert.match(
    bare.summary,
    /code already used, a PKCE verifier or redirect_uri that does not match/,
    'a bare refusal lists the usual causes',
  );
});

test('an exchange with no answer when the client gave up is token_exchange_failed (no-response), naming endpoint, entry and wait', () => {
  const result = classify({ exchange: { status: 0, pendingMs: 14_210, endpoint: '/oidc/token', entry: 'edge-east' } });
  assert.deepEqual([result.category, result.cause], ['token_exchange_failed', 'no-response']);
  assert.match(result.summary, /\/oidc\/token through edge-east had no answer after 14210 ms/);
});

test("a client's id_token checks name their own causes: a key missing from the JWKS, another audience", () => {
  const signature = classify({
    errorCode: 'token_exchange_failed',
    clientError: 'invalid_id_token_signature',
    clientErrorDescription: 'no key in the JWKS matches kid "retired-2026"',
    exchange: { status: 200 },
  });
  assert.equal(signature.cause, 'id-token-signature');
  assert.match(signature.summary, /retired-2026/);
  const audience = classify({
    errorCode: 'token_exchange_failed',
    clientError: 'invalid_id_token_audience',
    clientErrorDescription: 'aud is "another-client", expected "lab-spa"',
    exchange: { status: 200 },
  });
  assert.equal(audience.cause, 'id-token-audience');
});

test("the client's own id_token time check is clock-skew, with the skew against the server's Date", () => {
  const result = classify({
    errorCode: 'token_exchange_failed',
    clientError: 'invalid_id_token_time',
    clientErrorDescription: "the id_token was issued 600 s in the future by this device's clock",
    exchange: { status: 200, serverDate: 'Sun, 29 Nov 2026 04:00:00 GMT', clientTime: '2026-11-29T04:15:00.000Z' },
  });
  assert.equal(result.cause, 'clock-skew');
  assert.match(result.summary, /\+900 s/);
});

test('a lost login state is token_exchange_failed (cookie-state)', () => {
  assert.equal(classify({ errorCode: 'login_state_lost', clientError: 'state_mismatch' }).cause, 'cookie-state');
});

test('429 is rate_limited, never token_exchange_failed', () => {
  const result = classify({ errorCode: 'rate_limited', exchange: exchange({ status: 429, error: 'rate_limited' }) });
  assert.equal(result.category, 'rate_limited');
  assert.equal(classify({ errorCode: 'token_exchange_failed', exchange: exchange({ status: 429 }) }).category, 'rate_limited');
});

test('an unreachable target, a login step the target refused, and a defect of our own, each told by its evidence and its type', () => {
  const unreachable = classify({
    thrown: new Error('page.goto: something went wrong'),
    navigationFailure: { url: 'http://127.0.0.1:4701/', errorText: 'net::ERR_CONNECTION_REFUSED' },
  });
  assert.equal(unreachable.category, 'target-unreachable');
  assert.match(unreachable.summary, /net::ERR_CONNECTION_REFUSED at http:\/\/127\.0\.0\.1:4701\//);
  // The words of an error never decide: a message that merely mentions a refused connection is the suite's own failure.
  assert.equal(classify({ thrown: new Error('net::ERR_CONNECTION_REFUSED, says the message') }).category, 'test-defect');
  const refused = classify({
    thrown: new errors.TimeoutError('locator.waitFor: Timeout'),
    pageAlert: 'Wrong email or password.',
    failedStep: 'Enter the password',
  });
  assert.deepEqual([refused.category, refused.cause], ['login-step-failed', 'Enter the password']);
  const timeout = classify({ thrown: new errors.TimeoutError("locator.fill: Timeout 15000ms exceeded: getByLabel('Email adress')") });
  assert.deepEqual([timeout.category, timeout.cause], ['test-defect', 'timeout']);
  const defect = classify({ thrown: new TypeError('cannot read x of undefined'), failedStep: 'Enter the email address' });
  assert.deepEqual([defect.category, defect.cause], ['test-defect', 'exception']);
});

test('an error raised knowing its meaning carries its verdict as data, and its first line is that verdict, never its class', () => {
  const own = new AuthmatrixError({ category: 'login-step-failed', cause: 'password', summary: 'the provider refused the password step' });
  assert.deepEqual(classify({ thrown: own }), own.classification);
  assert.match(own.stack ?? '', /^login-step-failed \(password\): the provider refused/);
  const explained = AuthmatrixError.explaining(classify({ thrown: new TypeError('x is undefined') }), new TypeError('x is undefined'));
  assert.match(explained.stack ?? '', /^test-defect \(exception\): /);
  assert.match(explained.message, /\n\nx is undefined$/);
  // What the responses say comes before the journey's own account of where it stopped.
  const overruled = classify({ thrown: own, exchange: exchange({ status: 503, error: 'temporarily_unavailable' }) });
  assert.equal(overruled.category, 'token_exchange_failed');
});

test('an "invalid or has expired" refusal of a code under a second old is invalid-grant, quoting the words; never code-expired', () => {
  const result = classify({
    errorCode: 'token_exchange_failed',
    exchange: exchange({ error: 'invalid_grant', errorDescription: 'The authorization code is invalid or has expired.', codeAgeMs: 251 }),
  });
  assert.deepEqual([result.category, result.cause], ['token_exchange_failed', 'invalid-grant']);
  assert.match(result.summary, /answered 400 invalid_grant "The authorization code is invalid or has expired\."/);
  assert.match(result.summary, /a code past its lifetime/, 'expiry stays among the candidates');
  // A plain "expired" for a code younger than the lifetime the profile gives contradicts the evidence.
  const contradicted = classify({
    exchange: exchange({ error: 'invalid_grant', errorDescription: 'Code is expired', codeAgeMs: 800 }),
    codeLifetimeMs: 60_000,
  });
  assert.equal(contradicted.cause, 'invalid-grant');
  assert.match(contradicted.summary, /inside its 60 s lifetime/);
  assert.equal(
    classify({ exchange: exchange({ error: 'invalid_grant', errorDescription: 'Code is expired', codeAgeMs: 800 }) }).cause,
    'code-expired',
  );
});

test("a provider's own error code is quoted as it said it: 403 invalid_code, mapped by meaning", () => {
  const result = classify({ exchange: exchange({ status: 403, error: 'invalid_code', codeAgeMs: 300 }) });
  assert.deepEqual([result.category, result.cause], ['token_exchange_failed', 'invalid-grant']);
  assert.match(result.summary, /answered 403 invalid_code\b/);
  assert.doesNotMatch(result.summary, /\(invalid_grant\)/);
  // A refusal sent with 200 and an error body (GitHub, Slack) is a refusal all the same.
  assert.equal(classify({ exchange: { status: 200, error: 'bad_verification_code' } }).category, 'token_exchange_failed');
});

test('every real provider wording in the table is named with its cause', () => {
  const expected: Record<string, string> = { 'pkce-mismatch': 'cookie-state', 'rate-limited': 'rate_limited' };
  const providers = new Map<string, Set<string>>();
  for (const wording of PROVIDER_WORDINGS) {
    const result = classify({
      exchange: {
        status: wording.status ?? 400,
        error: wording.error,
        errorDescription: wording.description,
        errorHint: wording.hint,
        codeAgeMs: 400,
      },
    });
    const named = result.category === 'token_exchange_failed' ? result.cause : result.category;
    assert.equal(named, expected[wording.cause] ?? wording.cause, `${wording.provider}: ${wording.error} "${wording.description ?? ''}"`);
    if (wording.description) assert.ok(result.summary.includes(wording.description.split('\n')[0] ?? ''), 'the words are quoted');
    providers.set(wording.cause, (providers.get(wording.cause) ?? new Set()).add(wording.provider.split(' (')[0] ?? ''));
  }
  for (const cause of ['code-expired', 'code-reused', 'invalid-grant', 'redirect-mismatch', 'pkce-mismatch', 'client-auth'])
    assert.ok((providers.get(cause)?.size ?? 0) >= 8, `${cause}: wordings of at least eight providers`);
});

test('a TOTP account signed in without being asked for its code is a security regression, not a pass', () => {
  const result = classify({ signedIn: { secondFactorNotAsked: { channel: 'totp' } } });
  assert.deepEqual([result.category, result.cause], ['security-regression', 'second-factor-not-asked']);
});

test('a classification travels as data on the result, and its label leads the message people read', () => {
  const original = classify({
    errorCode: 'token_exchange_failed',
    exchange: exchange({ status: 503, error: 'temporarily_unavailable', errorDescription: 'upstream email verification timed out' }),
  });
  const result = { annotations: [{ type: 'browser', description: 'chromium 156' }] };
  recordClassification(result, { category: 'test-defect', cause: 'locator', summary: 'first try' });
  recordClassification(result, original);
  assert.deepEqual(classificationOf(result), original);
  assert.equal(result.annotations.length, 2, 'a later classification of one attempt replaces the earlier');
  assert.equal(classificationOf({ annotations: [] }), undefined);
  assert.match(String(new AuthmatrixError(original)), /^token_exchange_failed \(upstream-email-verification\): /);
});

test("Allure's own category matching files each classified result under its category, grouped by cause", () => {
  assert.equal(CATEGORY_LABEL, ALLURE_CATEGORY_LABEL);
  assert.equal(CAUSE_LABEL, ALLURE_CAUSE_LABEL);
  const categories = normalizeCategoriesConfig({ rules: categoryRules as unknown as CategoryRule[] });
  const categoryOf = (labels: { name: string; value: string }[], flaky = false) =>
    matchCategory(categories, { status: 'failed', labels, flaky, message: 'token_exchange_failed (edge): looks like it' })?.name;
  for (const category of CATEGORY_NAMES) {
    const name = categoryOf([{ name: ALLURE_CATEGORY_LABEL, value: category }]);
    assert.ok(name?.startsWith(category), `${category} lands in ${String(name)}`);
  }
  const tokenExchange = categoryRules.find((rule) => rule.name === 'token_exchange_failed');
  assert.deepEqual(tokenExchange?.groupBy, [{ label: ALLURE_CAUSE_LABEL }], 'token_exchange_failed is grouped by cause');
  assert.notEqual(categoryOf([]), 'token_exchange_failed', 'message text alone files nothing');
  assert.equal(categoryOf([], true), 'intermittent regression (passed on retry)');
});
