import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TOTP, Secret } from 'otpauth';
import { fetch as undiciFetch, ProxyAgent } from 'undici';
import { protocolLogin } from '../clients/protocol-login.ts';
import { SCOPE, WEB_CLIENT_ID } from '../lab/idp.ts';
import type { Lab } from '../lab/lab.ts';
import { readLabSettings } from '../lab/settings.ts';
import { admin, startTestLab } from './lab-harness.ts';
import { startLabProcess } from '../scripts/processes.ts';

let lab: Lab;
before(async () => {
  lab = await startTestLab();
});
after(async () => {
  await lab.close();
});

let counter = 0;
async function newAccount(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const account = {
    email: `user${counter}.${Date.now()}@gmail.com`,
    password: 'a-long-password',
    phone: null,
    plan: 'plus',
    totpSecret: null,
    ...overrides,
  };
  const created = await admin(lab, 'POST', '/accounts', account);
  assert.equal(created.status, 201, JSON.stringify(created.json));
  return account as { email: string; password: string; phone: string | null; totpSecret: string | null };
}

async function inboxCode(address: string): Promise<string> {
  const result = await admin(lab, 'GET', `/inbox/${encodeURIComponent(address)}/next?after=0&timeoutMs=5000`);
  assert.equal(result.status, 200, 'a code message should arrive');
  return /\b(\d{6})\b/.exec(String(result.json.text))?.[1] ?? '';
}

const login = (account: { email: string; password: string }, code: () => Promise<string>, fetchImpl?: typeof fetch) =>
  protocolLogin({
    issuer: lab.urls.issuer,
    client: { clientId: WEB_CLIENT_ID, redirectUri: `${lab.urls.app}/callback`, scope: SCOPE },
    email: account.email,
    password: account.password,
    code,
    ...(fetchImpl ? { fetchImpl } : {}),
  });

test('the issuer serves discovery and JWKS', async () => {
  const discovery = (await (await fetch(`${lab.urls.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  assert.equal(discovery.issuer, lab.urls.issuer);
  assert.equal(discovery.token_endpoint, `${lab.urls.issuer}/token`);
  const jwks = (await (await fetch(String(discovery.jwks_uri))).json()) as { keys: unknown[] };
  assert.equal(jwks.keys.length, 1);
});

test('an account with no phone and no TOTP signs in with an emailed code over real SMTP', async () => {
  const account = await newAccount();
  const result = await login(account, () => inboxCode(account.email));
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.ok(result.ok);
  assert.equal(result.claims.email, account.email);
  assert.equal(result.claims.plan, 'plus');
  assert.equal(result.exchange.node, 'primary');
  assert.equal(result.exchange.entry, 'direct');
  assert.match(result.exchange.requestId ?? '', /^[0-9a-f-]{36}$/);
  const logs = await admin(lab, 'GET', `/logs?request_id=${result.exchange.requestId ?? ''}`);
  assert.ok((logs.json.lines as { event: string }[]).some((line) => line.event === 'token.issued'));
});

test('an account with a phone gets its code by SMS', async () => {
  const account = await newAccount({ phone: '+15550001111' });
  const result = await login(account, () => inboxCode('+15550001111'));
  assert.equal(result.ok, true, JSON.stringify(result));
});

test('an account with TOTP signs in with the authenticator code, and the same code is refused twice', async () => {
  const secret = new Secret({ size: 20 }).base32;
  const account = await newAccount({ totpSecret: secret });
  const code = new TOTP({ secret, digits: 6, period: 30 }).generate();
  const first = await login(account, () => Promise.resolve(code));
  assert.equal(first.ok, true, JSON.stringify(first));
  const replay = await login(account, () => Promise.resolve(code));
  assert.equal(replay.ok, false);
});

test('a wrong password does not get past the password step', async () => {
  const account = await newAccount();
  const result = await login({ ...account, password: 'wrong-password' }, () => inboxCode(account.email));
  assert.equal(result.ok, false);
  assert.ok(!result.ok);
  assert.equal(result.stage, 'interaction');
});

test('through an entry point, the token response names that entry point', async () => {
  const account = await newAccount();
  const dispatcher = new ProxyAgent(lab.urls.entryPoints.corporate);
  const viaProxy = ((url: string, init?: RequestInit) => undiciFetch(url, { ...(init as object), dispatcher })) as unknown as typeof fetch;
  const result = await login(account, () => inboxCode(account.email), viaProxy);
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.ok(result.ok);
  assert.equal(result.exchange.entry, 'corporate');
});

test('replica-lag: web token calls read a replica the code has not reached, and fail with invalid_grant', async () => {
  await admin(lab, 'POST', '/faults', { set: ['replica-lag'] });
  try {
    const account = await newAccount();
    const result = await login(account, () => inboxCode(account.email));
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.stage, 'token');
    assert.equal(result.exchange?.status, 400);
    assert.equal(result.exchange?.error, 'invalid_grant');
    assert.equal(result.exchange?.node, 'replica');

    const mobile = await newAccount();
    const viaMobileGateway = await protocolLogin({
      issuer: lab.urls.issuer,
      client: { clientId: WEB_CLIENT_ID, redirectUri: `${lab.urls.app}/callback`, scope: SCOPE },
      tokenEndpoint: lab.urls.mobileToken,
      email: mobile.email,
      password: mobile.password,
      code: () => inboxCode(mobile.email),
    });
    assert.equal(viaMobileGateway.ok, true, 'the mobile gateway is served by the primary and is not hurt');
  } finally {
    await admin(lab, 'POST', '/faults', { set: [] });
  }
});

test('lab settings: an unknown LAB_FAULTS id and a bad port are reported together', () => {
  assert.throws(
    () => readLabSettings({ LAB_FAULTS: 'replica-lag,typo', LAB_PORT: 'abc' }),
    (error: unknown) =>
      error instanceof Error && /LAB_PORT="abc"/.test(error.message) && /"typo".*known faults: replica-lag/.test(error.message),
  );
});

test('lab settings: LAB_UPSTREAMS that is not JSON, or names an upstream or a field wrong, says which and how to write it', () => {
  assert.throws(() => readLabSettings({ LAB_UPSTREAMS: '{microsoft:' }), /LAB_UPSTREAMS is not JSON .*\{"microsoft": \{"issuer"/);
  assert.throws(
    () => readLabSettings({ LAB_UPSTREAMS: JSON.stringify({ okta: {}, microsoft: { issuer: 'ftp://x', clientId: 'b' } }) }),
    (error: unknown) =>
      error instanceof Error &&
      /LAB_UPSTREAMS: "okta" is not an upstream of the lab \(microsoft, google\)/.test(error.message) &&
      /LAB_UPSTREAMS\.microsoft\.issuer: must be the http\(s\) URL of an OpenID Provider/.test(error.message) &&
      /LAB_UPSTREAMS\.microsoft\.clientSecret: must be that client’s secret/.test(error.message) &&
      /LAB_UPSTREAMS\.microsoft\.screensFrom/.test(error.message),
  );
  const { upstreams } = readLabSettings({
    LAB_UPSTREAMS: JSON.stringify({
      microsoft: { issuer: 'http://127.0.0.1:4940/o', clientId: 'b', clientSecret: 's', screensFrom: 'django-idp' },
    }),
  });
  assert.deepEqual(upstreams.microsoft, {
    issuer: 'http://127.0.0.1:4940/o',
    clientId: 'b',
    clientSecret: 's',
    scope: 'openid email profile',
    screensFrom: 'django-idp',
  });
});

test('`npm run lab` prints one lab.ready line naming every URL, and stops on SIGTERM', async () => {
  const lab = await startLabProcess({ LAB_PORT: '0', LAB_QUIET: '1', LAB_ADMIN_TOKEN: 'spawned-lab-token-0123456789' });
  const { ready } = lab;
  assert.equal(ready.event, 'lab.ready');
  for (const key of ['issuer', 'app', 'admin', 'smtp', 'mobileToken', 'entryPoints']) assert.ok(ready[key], `ready line names ${key}`);
  assert.equal(JSON.stringify(ready).includes('spawned-lab-token'), false, 'the admin token is not printed');
  const discovery = await fetch(`${String(ready.issuer)}/.well-known/openid-configuration`);
  assert.equal(discovery.status, 200);
  assert.equal(await lab.stop(), 0, 'the lab exits 0 on SIGTERM');
});
