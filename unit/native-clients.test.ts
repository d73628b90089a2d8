import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { checkIdToken, verifyIdToken } from '../clients/oauth.ts';
import { CallbackPortTakenError, LoopbackReceiver } from '../clients/desktop-cli.client.ts';

function jwt(claims: Record<string, unknown>): string {
  return `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
}

async function holdPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('the CLI takes another port when its preferred one is taken, and receives the redirect there', async () => {
  const held = await holdPort();
  const receiver = await LoopbackReceiver.listen(held.port, 'fallback');
  try {
    assert.notEqual(receiver.port, held.port);
    const waiting = receiver.waitForCallback(5_000);
    const page = await fetch(`${receiver.redirectUri}?code=abc&state=xyz`);
    assert.match(await page.text(), /You can close this window/);
    const params = await waiting;
    assert.equal(params.get('state'), 'xyz');
  } finally {
    await receiver.close();
    await held.release();
  }
});

test('with the strict policy, a taken port is a clear error naming the port', async () => {
  const held = await holdPort();
  try {
    await assert.rejects(
      LoopbackReceiver.listen(held.port, 'strict'),
      (error: unknown) => error instanceof CallbackPortTakenError && error.message.includes(String(held.port)),
    );
  } finally {
    await held.release();
  }
});

test('no redirect in time is a clear error', async () => {
  const receiver = await LoopbackReceiver.listen(0, 'fallback');
  try {
    await assert.rejects(receiver.waitForCallback(20), /no redirect reached the CLI/);
  } finally {
    await receiver.close();
  }
});

test('id_token time checks: the leeway both ways, and a stale iat betrays a fast clock', () => {
  const now = 1_800_000_000_000;
  const iat = now / 1000;
  const token = jwt({ nonce: 'n', iat, exp: iat + 3600 });
  assert.equal(checkIdToken(token, 'n', 300, now).ok, true);
  assert.equal(checkIdToken(token, 'n', 300, now + 240_000).ok, true, 'ahead 4 min is within the leeway');
  assert.equal(checkIdToken(token, 'n', 300, now - 90_000).ok, true, 'behind 90 s is within the leeway');
  assert.deepEqual(checkIdToken(token, 'n', 300, now + 900_000), {
    ok: false,
    kind: 'time',
    problem: "the id_token was issued 900 s ago by this client's clock, though it was just requested",
  });
  assert.equal(checkIdToken(token, 'n', 300, now - 900_000).ok, false);
  assert.equal(checkIdToken(token, 'n', 0, now + 90_000).ok, false, 'no leeway: 90 s off fails');
  assert.equal(checkIdToken(token, 'other', 300, now).ok, false);
  assert.equal(checkIdToken('garbage', 'n', 300, now).ok, false);
});

test("id_tokens are verified as a client must: the provider's key, issuer, audience, nonce", async () => {
  const published = await generateKeyPair('RS256');
  const unpublished = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(published.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: 'http://127.0.0.1:4701/oidc', aud: 'authmatrix-cli', nonce: 'n', iat: now, exp: now + 3600, sub: 'a' };
  const sign = (payload: Record<string, unknown>, key = published.privateKey, kid = 'k1') =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
  const expected = { jwks, issuer: claims.iss, clientId: 'authmatrix-cli', nonce: 'n', leewaySeconds: 300 };

  assert.equal((await verifyIdToken(await sign(claims), expected)).ok, true);
  const unknownKey = await verifyIdToken(await sign(claims, unpublished.privateKey, 'k2'), expected);
  assert.deepEqual(unknownKey, {
    ok: false,
    kind: 'signature',
    problem: 'no key in the provider\'s JWKS matches the id_token\'s kid "k2" (it lists "k1")',
  });
  // Signed by another key under a published kid: the signature does not verify.
  const forged = await verifyIdToken(await sign(claims, unpublished.privateKey, 'k1'), expected);
  assert.equal(forged.ok ? undefined : forged.kind, 'signature');
  const otherAudience = await verifyIdToken(await sign({ ...claims, aud: 'authmatrix-ios' }), expected);
  assert.deepEqual(otherAudience.ok ? undefined : [otherAudience.kind, otherAudience.problem], [
    'audience',
    'aud is "authmatrix-ios", not this client\'s id "authmatrix-cli"',
  ]);
  const severalAudiences = await verifyIdToken(await sign({ ...claims, aud: ['authmatrix-cli', 'api'], azp: 'api' }), expected);
  assert.equal(severalAudiences.ok ? undefined : severalAudiences.kind, 'audience', 'with several audiences, azp must be this client');
  const otherIssuer = await verifyIdToken(await sign({ ...claims, iss: 'https://elsewhere.example' }), expected);
  assert.equal(otherIssuer.ok ? undefined : otherIssuer.kind, 'issuer');
  const otherNonce = await verifyIdToken(await sign({ ...claims, nonce: 'x' }), expected);
  assert.equal(otherNonce.ok ? undefined : otherNonce.kind, 'nonce');
  const late = await verifyIdToken(await sign({ ...claims, iat: now - 4000, exp: now - 400 }), expected);
  assert.equal(late.ok ? undefined : late.kind, 'time');
  const garbage = await verifyIdToken('garbage', expected);
  assert.equal(garbage.ok ? undefined : garbage.kind, 'format');
});
