/**
 * The HTTP inbox provider against a real service that lists messages over HTTP: the lab's inbox
 * API (bearer token, {"messages": [...]}). Sign-ins over the protocol read their email and SMS
 * codes through it: the code sent after the sign-in began, never an earlier one.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { CodeReader } from '../accounts/codes.ts';
import { HttpInbox, InboxError } from '../accounts/inboxes.ts';
import { protocolLogin } from '../clients/protocol-login.ts';
import { SCOPE, WEB_CLIENT_ID } from '../lab/idp.ts';
import type { Lab } from '../lab/lab.ts';
import { admin, startTestLab, TEST_ADMIN_TOKEN } from './lab-harness.ts';

let lab: Lab;
before(async () => {
  lab = await startTestLab();
});
after(async () => {
  await lab.close();
});

async function signInTwice(account: { email: string; password: string; phone: string | null; totpSecret: null }, channel: 'email' | 'sms') {
  const inbox = new HttpInbox(`${lab.urls.admin}/inbox/{address}`, TEST_ADMIN_TOKEN, 100);
  const reader = new CodeReader({ email: inbox, sms: inbox }, 5_000);
  const codes: string[] = [];
  for (let attempt = 0; attempt < 2; attempt += 1) {
    await reader.beginSignIn(account, channel);
    const result = await protocolLogin({
      issuer: lab.urls.issuer,
      client: { clientId: WEB_CLIENT_ID, redirectUri: `${lab.urls.app}/callback`, scope: SCOPE },
      email: account.email,
      password: account.password,
      code: async () => {
        const code = await reader.codeFor(account, channel);
        codes.push(code);
        return code;
      },
    });
    assert.equal(result.ok, true, JSON.stringify(result));
  }
  return codes;
}

test('email codes come through the HTTP inbox; a second sign-in reads its own code, not the first one', async () => {
  const account = { email: `http.inbox.${Date.now()}@outlook.com`, password: 'a-long-password', phone: null, totpSecret: null };
  assert.equal((await admin(lab, 'POST', '/accounts', { ...account, plan: 'free' })).status, 201);
  const codes = await signInTwice(account, 'email');
  assert.equal(codes.length, 2);
  const listed = await admin(lab, 'GET', `/inbox/${encodeURIComponent(account.email)}`);
  const texts = (listed.json.messages as { text: string }[]).map((message) => message.text);
  assert.ok(texts[0]?.includes(codes[0] ?? '-') && texts[1]?.includes(codes[1] ?? '-'), 'each sign-in used the code sent to it');
});

test('SMS codes come through the same provider, by phone number', async () => {
  const account = { email: `http.sms.${Date.now()}@gmail.com`, password: 'a-long-password', phone: '+15550001234', totpSecret: null };
  assert.equal((await admin(lab, 'POST', '/accounts', { ...account, plan: 'plus' })).status, 201);
  assert.equal((await signInTwice(account, 'sms')).length, 2);
});

test('a refused token and a body that is not a message list are clear errors without the token', async () => {
  const refused = new HttpInbox(`${lab.urls.admin}/inbox/{address}`, 'not-the-token-0123456789');
  await assert.rejects(refused.cursor('a@gmail.com'), (error: unknown) => {
    assert.ok(error instanceof InboxError);
    assert.match(
      error.message,
      /the HTTP inbox http:\/\/127\.0\.0\.1:\d+\/__lab\/inbox\/\{address\} refused the request \(401\); check INBOX_HTTP_TOKEN/,
    );
    assert.ok(!error.message.includes('not-the-token'));
    return true;
  });
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"count": 3}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const odd = new HttpInbox(`http://127.0.0.1:${(server.address() as AddressInfo).port}/sms?to={address}`, undefined);
    await assert.rejects(odd.cursor('+15550001234'), /did not answer a JSON array of messages/);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  assert.throws(() => new HttpInbox('https://sms.example.com/messages', undefined), /must contain \{address\}/);
});
