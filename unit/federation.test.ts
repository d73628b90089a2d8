import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classify, type FailureEvidence } from '../evidence/classify.ts';
import { HopRecorder, parseSetCookie, type FederationEvidence, type Hop } from '../evidence/hops.ts';
import { FEDERATION_WORDINGS_AMBIGUOUS, FEDERATION_WORDINGS_SEEN } from './provider-wordings.ts';

const APP = 'http://localhost:4701';
const BROKER = 'http://127.0.0.1:4700';
const MICROSOFT = 'http://login.microsoft.localhost:4706';

const hop = (origin: string, path: string, extra: Partial<Hop> = {}): Hop => ({
  origin,
  path,
  method: 'GET',
  cookiesSent: [],
  cookiesSet: [],
  ...extra,
});

/** A federated sign-in's hops: the broker sets its state cookie as it sends the browser to Microsoft, which returns by `returnMethod`. */
function federatedHops(returnMethod: 'GET' | 'POST', carried: string[], brokerError?: { error: string; description: string }): Hop[] {
  return [
    hop(APP, '/'),
    hop(BROKER, '/auth', { status: 303 }),
    hop(BROKER, '/interaction/u1', { status: 200, cookiesSet: [{ name: '_interaction', path: '/interaction/u1', sameSite: 'lax' }] }),
    hop(BROKER, '/interaction/u1/federate', {
      method: 'POST',
      status: 303,
      cookiesSet: [{ name: 'authmatrix_federation', path: '/federation/callback', sameSite: 'Lax' }],
    }),
    hop(MICROSOFT, '/auth', { status: 303 }),
    hop(MICROSOFT, '/interaction/m1', { status: 200 }),
    hop(BROKER, '/federation/callback', { method: returnMethod, status: 303, cookiesSent: carried }),
    hop(APP, '/callback', brokerError ? { ...brokerError, errorDescription: brokerError.description } : {}),
  ];
}

function federationOf(hops: Hop[]): FederationEvidence {
  const recorder = new HopRecorder();
  recorder.hops.push(...hops);
  const federation = recorder.federation(BROKER, [APP, `${APP}/callback`]);
  assert.ok(federation, 'a sign-in through another site is federated');
  return federation;
}

const failed = (federation: FederationEvidence, extra: Partial<FailureEvidence> = {}): FailureEvidence => ({
  errorCode: federation.brokerError?.error,
  errorMessage: federation.brokerError?.description,
  federation,
  ...extra,
});

test('the hops of a federated sign-in: the chain of sites, and the broker cookie the return did or did not carry', () => {
  const lost = federationOf(
    federatedHops('POST', [], { error: 'access_denied', description: 'Unexpected error when authenticating with identity provider' }),
  );
  assert.equal(lost.upstream, MICROSOFT);
  assert.equal(lost.chain, 'app → provider → upstream → provider (POST) → app (access_denied)');
  assert.deepEqual(
    lost.returned?.expected.map((cookie) => cookie.name),
    ['authmatrix_federation'],
    'only the cookie set as the browser left, on a path the return reaches',
  );
  assert.deepEqual(lost.returned?.carried, []);
  const kept = federationOf(federatedHops('GET', ['authmatrix_federation']));
  assert.deepEqual(kept.returned?.carried, ['authmatrix_federation']);
  assert.equal(kept.brokerError, undefined);

  const recorder = new HopRecorder();
  recorder.hops.push(hop(APP, '/'), hop(BROKER, '/interaction/u1'), hop(APP, '/callback'));
  assert.equal(recorder.federation(BROKER, [APP]), undefined, 'a sign-in that stays with the provider is not federated');
  const cli = new HopRecorder();
  cli.hops.push(
    hop(BROKER, '/auth'),
    hop(BROKER, '/interaction/u1'),
    hop('http://127.0.0.1:48765', '/callback', { error: 'access_denied' }),
  );
  assert.equal(
    cli.federation(BROKER, [APP], [MICROSOFT]),
    undefined,
    "a native client's loopback redirect is not an upstream the profile names",
  );
});

test("every broker's and library's own words for a federated failure name its cause", () => {
  for (const wording of FEDERATION_WORDINGS_SEEN) {
    const federation = federationOf(federatedHops('GET', ['authmatrix_federation'], { error: 'server_error', description: wording.text }));
    const verdict = classify(failed(federation));
    assert.equal(verdict.category, 'token_exchange_failed', `${wording.product}: ${wording.text}`);
    assert.equal(verdict.cause, wording.cause, `${wording.product}: ${wording.text} (${wording.source})`);
  }
});

test('words that fit every cause name none: the hops decide, and a form_post return without the Lax state cookie is federated-state-lost', () => {
  for (const text of FEDERATION_WORDINGS_AMBIGUOUS) {
    const carried = classify(
      failed(federationOf(federatedHops('GET', ['authmatrix_federation'], { error: 'server_error', description: text }))),
    );
    assert.equal(carried.cause, 'unknown', text);
    const lost = classify(failed(federationOf(federatedHops('POST', [], { error: 'server_error', description: text }))));
    assert.equal(lost.cause, 'federated-state-lost', text);
    assert.match(lost.summary, /cross-site POST \(response_mode=form_post\) without the provider's authmatrix_federation \(SameSite=Lax\)/);
    assert.match(lost.summary, /SameSite=Lax or Strict cookie is not sent with a cross-site POST/);
  }
});

test("an upstream's own error on its way back is upstream-refused, quoted; a failed exchange of the app's own code is judged as an exchange", () => {
  const hops = federatedHops('GET', ['authmatrix_federation'], {
    error: 'access_denied',
    description: 'Microsoft answered access_denied: the user declined to consent',
  });
  const back = hops[6];
  assert.ok(back);
  back.error = 'access_denied';
  back.errorDescription = 'the user declined to consent';
  const refused = classify(failed(federationOf(hops)));
  assert.equal(refused.cause, 'upstream-refused');
  assert.match(refused.summary, /login\.microsoft\.localhost:4706 ended the sign-in with access_denied "the user declined to consent"/);

  const appLostItsState = classify({
    errorCode: 'login_state_lost',
    errorMessage: 'The sign-in could not be matched to this browser',
    federation: federationOf(federatedHops('GET', ['authmatrix_federation'])),
  });
  assert.equal(appLostItsState.cause, 'cookie-state', 'the provider answered the app with a code: the app lost its own state');

  // Back from the upstream, the provider's own second factor refused: the provider's failure, not the federation's.
  const pastTheUpstream = federatedHops('GET', ['authmatrix_federation'], {
    error: 'access_denied',
    description: 'too many wrong verification codes',
  });
  pastTheUpstream.splice(7, 0, hop(BROKER, '/interaction/u1/federated', { status: 200 }));
  const verdict2 = classify(failed(federationOf(pastTheUpstream)));
  assert.notEqual(verdict2.category, 'token_exchange_failed', 'a refusal after the federation passed is not a hop of it');

  const signedInUpstream = federationOf(federatedHops('GET', ['authmatrix_federation']));
  const verdict = classify({
    errorCode: 'token_exchange_failed',
    exchange: { status: 503, error: 'temporarily_unavailable', errorDescription: 'upstream email verification timed out after 300 ms' },
    federation: signedInUpstream,
  });
  assert.equal(verdict.cause, 'upstream-email-verification');
});

test('a Set-Cookie line gives its name, Path (or the default path) and SameSite, never its value', () => {
  assert.deepEqual(parseSetCookie('authmatrix_federation=s3cr3t; Path=/federation/callback; HttpOnly; SameSite=Lax', '/x/federate'), {
    name: 'authmatrix_federation',
    path: '/federation/callback',
    sameSite: 'Lax',
  });
  assert.deepEqual(parseSetCookie('sid=abc', '/interaction/u1/federate'), { name: 'sid', path: '/interaction/u1', sameSite: undefined });
});
