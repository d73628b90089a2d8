import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATEGORIES, classificationLabel, classify, parseClassification, TOKEN_EXCHANGE_CAUSES } from '../reporters/classify.ts';
import { categoryRules } from '../allurerc.mjs';

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
  ];
  for (const [fields, cause] of cases)
    assert.equal(classify({ errorCode: 'token_exchange_failed', exchange: exchange(fields) }).cause, cause, JSON.stringify(fields));
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

test('an unreachable target, a login step the target refused, and a defect of our own', () => {
  assert.equal(
    classify({ thrown: { name: 'Error', message: 'page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:4701/' } }).category,
    'target-unreachable',
  );
  const refused = classify({
    thrown: { name: 'TimeoutError', message: 'locator.waitFor: Timeout' },
    pageAlert: 'Wrong email or password.',
    failedStep: 'Enter the password',
  });
  assert.deepEqual([refused.category, refused.cause], ['login-step-failed', 'Enter the password']);
  const defect = classify({
    thrown: { name: 'Error', message: "expect(locator).toBeEditable() failed: getByLabel('Email adress')" },
    failedStep: 'Enter the email address',
  });
  assert.deepEqual([defect.category, defect.cause], ['test-defect', 'locator']);
});

test('the label reads back from a failure message', () => {
  const original = classify({
    errorCode: 'token_exchange_failed',
    exchange: exchange({ status: 503, error: 'temporarily_unavailable', errorDescription: 'upstream email verification timed out' }),
  });
  const message = `${classificationLabel(original)}: ${original.summary}\n\nmore`;
  assert.match(message, /^token_exchange_failed \(upstream-email-verification\): /);
  assert.deepEqual(parseClassification(message), original);
  assert.equal(parseClassification('Error: something else'), undefined);
});

test('the Allure categories cover every category and every token_exchange_failed cause', () => {
  for (const cause of TOKEN_EXCHANGE_CAUSES) {
    assert.ok(
      categoryRules.some((rule) => rule.matchers.message?.test(`token_exchange_failed (${cause}): why`)),
      cause,
    );
  }
  for (const category of CATEGORIES.filter((name) => name !== 'token_exchange_failed')) {
    assert.ok(
      categoryRules.some((rule) => rule.matchers.message?.test(`${category}: why`)),
      category,
    );
  }
});

test('a message as a reporter sees it, with its "Error: " prefix, reads back too', () => {
  assert.equal(parseClassification('Error: rate_limited: too many')?.category, 'rate_limited');
});
