import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { checkIdToken } from '../clients/oauth.ts';
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
