import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchCategory, normalizeCategoriesConfig, type CategoryRule } from '@allurereport/core-api';
import {
  ALLURE_CATEGORY_LABEL,
  ALLURE_CAUSE_LABEL,
  CATEGORIES,
  ClassifiedError,
  classificationOf,
  classify,
  recordClassification,
} from '../evidence/classify.ts';
import { CATEGORY_LABEL, CAUSE_LABEL, categoryRules } from '../allurerc.mjs';

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
  assert.match(new ClassifiedError(original).message, /^token_exchange_failed \(upstream-email-verification\): /);
});

test("Allure's own category matching files each classified result under its category, grouped by cause", () => {
  assert.equal(CATEGORY_LABEL, ALLURE_CATEGORY_LABEL);
  assert.equal(CAUSE_LABEL, ALLURE_CAUSE_LABEL);
  const categories = normalizeCategoriesConfig({ rules: categoryRules as unknown as CategoryRule[] });
  const categoryOf = (labels: { name: string; value: string }[], flaky = false) =>
    matchCategory(categories, { status: 'failed', labels, flaky, message: 'token_exchange_failed (edge): looks like it' })?.name;
  for (const category of CATEGORIES) {
    const name = categoryOf([{ name: ALLURE_CATEGORY_LABEL, value: category }]);
    assert.ok(name?.startsWith(category), `${category} lands in ${String(name)}`);
  }
  const tokenExchange = categoryRules.find((rule) => rule.name === 'token_exchange_failed');
  assert.deepEqual(tokenExchange?.groupBy, [{ label: ALLURE_CAUSE_LABEL }], 'token_exchange_failed is grouped by cause');
  assert.notEqual(categoryOf([]), 'token_exchange_failed', 'message text alone files nothing');
  assert.equal(categoryOf([], true), 'intermittent regression (passed on retry)');
});
