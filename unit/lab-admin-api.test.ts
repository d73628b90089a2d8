import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fetch as undiciFetch, ProxyAgent } from 'undici';
import type { Lab } from '../lab/lab.ts';
import { admin, startTestLab } from './lab-harness.ts';

let lab: Lab;
before(async () => {
  lab = await startTestLab();
});
after(async () => {
  await lab.close();
});

const account = { email: 'grace@gmail.com', password: 'a-long-password', phone: null, plan: 'free', totpSecret: null };

test('health answers without a token; everything else needs the bearer token', async () => {
  assert.equal((await fetch(`${lab.urls.admin}/health`)).status, 200);
  const none = await fetch(`${lab.urls.admin}/accounts`);
  assert.equal(none.status, 401);
  assert.match(none.headers.get('www-authenticate') ?? '', /Bearer/);
  assert.equal((await admin(lab, 'GET', '/accounts', undefined, 'wrong-token-wrong-token')).status, 401);
  assert.equal((await admin(lab, 'GET', '/accounts', undefined, 'x')).status, 401);
  // The scheme is case-insensitive; the token is not.
  const headers = (authorization: string) => ({ headers: { authorization } });
  assert.equal((await fetch(`${lab.urls.admin}/accounts`, headers('bearer unit-test-admin-token-0123456789'))).status, 200);
  assert.equal((await fetch(`${lab.urls.admin}/accounts`, headers('BEARER unit-test-admin-token-0123456789'))).status, 200);
  assert.equal((await fetch(`${lab.urls.admin}/accounts`, headers('Bearer UNIT-TEST-ADMIN-TOKEN-0123456789'))).status, 401);
});

test('bad JSON gets 400 naming the problem, and nothing is created', async () => {
  const result = await admin(lab, 'POST', '/accounts', '{"email": ');
  assert.equal(result.status, 400);
  assert.equal(result.json.error, 'invalid_json');
  assert.match(String(result.json.error_description), /not valid JSON.*nothing was changed/);
  assert.deepEqual((await admin(lab, 'GET', '/accounts')).json.accounts, []);
});

test('a body that is not application/json gets 415', async () => {
  const response = await fetch(`${lab.urls.admin}/accounts`, {
    method: 'POST',
    headers: { authorization: 'Bearer unit-test-admin-token-0123456789' },
    body: 'x',
  });
  assert.equal(response.status, 415);
});

test('an invalid account names each bad field', async () => {
  const result = await admin(lab, 'POST', '/accounts', { ...account, phone: '12', plan: 'gold' });
  assert.equal(result.status, 400);
  assert.match(String(result.json.error_description), /phone: .*E\.164/);
  assert.match(String(result.json.error_description), /plan/);
});

test('accounts are created once and listed without secrets', async () => {
  const created = await admin(lab, 'POST', '/accounts', account);
  assert.equal(created.status, 201);
  assert.equal(created.json.mfa, 'none');
  assert.equal('password' in created.json, false);
  assert.equal((await admin(lab, 'POST', '/accounts', account)).status, 409);
  const listed = await admin(lab, 'GET', '/accounts');
  assert.equal(JSON.stringify(listed.json).includes('a-long-password'), false);
});

test('an unknown fault gets 400 listing the known ones, and the armed set is unchanged', async () => {
  assert.equal((await admin(lab, 'POST', '/faults', { arm: ['replica-lag'] })).status, 200);
  const result = await admin(lab, 'POST', '/faults', { disarm: ['replica-lag'], arm: ['no-such-fault'] });
  assert.equal(result.status, 400);
  assert.equal(result.json.error, 'unknown_fault');
  assert.match(String(result.json.error_description), /"no-such-fault".*known faults: replica-lag.*nothing was changed/);
  assert.deepEqual((await admin(lab, 'GET', '/faults')).json.armed, ['replica-lag']);
  assert.deepEqual((await admin(lab, 'POST', '/faults', { set: [] })).json.armed, []);
});

test('a change that sets and arms is applied whole or not at all', async () => {
  const refused = await admin(lab, 'POST', '/faults', { set: ['replica-lag'], arm: ['nope'] });
  assert.equal(refused.status, 400);
  assert.match(String(refused.json.error_description), /"nope".*nothing was changed/);
  assert.deepEqual((await admin(lab, 'GET', '/faults')).json.armed, []);
  const applied = await admin(lab, 'POST', '/faults', { set: ['replica-lag'], arm: ['edge-west-broken'] });
  assert.deepEqual(applied.json.armed, ['edge-west-broken', 'replica-lag']);
  assert.deepEqual((await admin(lab, 'POST', '/faults', { set: [] })).json.armed, []);
});

test('an unexpected field in a fault change is refused', async () => {
  const result = await admin(lab, 'POST', '/faults', { arm: ['replica-lag'], armm: [] });
  assert.equal(result.status, 400);
  assert.deepEqual((await admin(lab, 'GET', '/faults')).json.armed, []);
});

test('the inbox long-poll times out with 408 and validates its parameters', async () => {
  assert.equal((await admin(lab, 'GET', '/inbox/nobody%40gmail.com/next?after=0&timeoutMs=10')).status, 408);
  assert.equal((await admin(lab, 'GET', '/inbox/nobody%40gmail.com/next?after=-1')).status, 400);
  assert.equal((await admin(lab, 'GET', '/inbox/nobody%40gmail.com/next?timeoutMs=999999')).status, 400);
  const malformed = await admin(lab, 'GET', '/inbox/nobody%E0%A4%A.com');
  assert.equal(malformed.status, 400);
  assert.match(String(malformed.json.error_description), /not valid percent-encoding/);
});

test('the admin API refuses calls that come through an entry point', async () => {
  const response = await undiciFetch(`${lab.urls.admin}/health`, { dispatcher: new ProxyAgent(lab.urls.entryPoints['edge-east']) });
  assert.equal(response.status, 403);
});

test('an unknown admin route gets 404 naming it', async () => {
  const result = await admin(lab, 'GET', '/nope');
  assert.equal(result.status, 404);
  assert.match(String(result.json.error_description), /GET \/__lab\/nope/);
});
