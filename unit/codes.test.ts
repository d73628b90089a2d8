import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { CodeNotReceivedError, NoInboxError, CodeReader, TotpGenerator } from '../accounts/codes.ts';

const account = { email: 'a@gmail.com', password: 'p', phone: '+15550001111', totpSecret: null };

test('TOTP: never the same code twice; the second login in a period takes the next period', () => {
  const secret = new Secret({ size: 20 }).base32;
  const generator = new TotpGenerator();
  const now = 1_700_000_000_000;
  const first = generator.next(secret, now);
  const second = generator.next(secret, now);
  assert.notEqual(first, second);
  const totp = new TOTP({ secret, period: 30, digits: 6 });
  assert.equal(totp.validate({ token: first, timestamp: now, window: 1 }), 0);
  assert.equal(totp.validate({ token: second, timestamp: now, window: 1 }), 1);
  assert.throws(() => generator.next(secret, now), /would replay one/);
});

test('TOTP for a provider that accepts no code ahead of its period: a second login waits for the next period', () => {
  const secret = new Secret({ size: 20 }).base32;
  const generator = new TotpGenerator(undefined, 0);
  const now = 1_700_000_010_000; // the start of a period
  const first = generator.next(secret, now);
  assert.throws(
    () => generator.next(secret, now + 16_000),
    (error: Error & { waitMs?: number }) => /would replay one/.test(error.message) && error.waitMs === 30_000 - ((now + 16_000) % 30_000),
  );
  const later = generator.next(secret, now + 30_000);
  assert.notEqual(first, later);
  const totp = new TOTP({ secret, period: 30, digits: 6 });
  assert.equal(totp.validate({ token: later, timestamp: now + 30_000, window: 0 }), 0, 'the later code is its own period’s');
});

test('SMS and email codes are read from the next message after the last one seen', async () => {
  const asked: string[] = [];
  const messages = [
    { seq: 3, text: 'Your code is 111111.' },
    { seq: 7, text: 'Your code is 222222.' },
  ];
  const sms = {
    cursor: () => Promise.resolve(0),
    nextMessage: (address: string, after: number) => {
      asked.push(`${address}>${after}`);
      return Promise.resolve(messages.find((message) => message.seq > after));
    },
  };
  const reader = new CodeReader({ sms });
  assert.equal(await reader.codeFor(account, 'sms'), '111111');
  assert.equal(await reader.codeFor(account, 'sms'), '222222');
  assert.deepEqual(asked, ['+15550001111>0', '+15550001111>3']);
});

test('no message in time is a named error', async () => {
  const email = { cursor: () => Promise.resolve(0), nextMessage: () => Promise.resolve(undefined) };
  const reader = new CodeReader({ email }, 10);
  await assert.rejects(reader.codeFor(account, 'email'), CodeNotReceivedError);
});

test('a sign-in reads only a code sent after it began, not an earlier one to the same address', async () => {
  const inbox = [{ seq: 4, text: 'Your code is 444444.' }];
  const email = {
    cursor: () => Promise.resolve(Math.max(0, ...inbox.map((message) => message.seq))),
    nextMessage: (_address: string, after: number) => Promise.resolve(inbox.find((message) => message.seq > after)),
  };
  const reader = new CodeReader({ email });
  const emailOnly = { ...account, phone: null, totpSecret: null };
  await reader.beginSignIn(emailOnly, 'email');
  inbox.push({ seq: 5, text: 'Your code is 555555.' });
  assert.equal(await reader.codeFor(emailOnly, 'email'), '555555');
});

test('a channel with no inbox configured is a named error that says which variable to set', async () => {
  const reader = new CodeReader({}, 10);
  await assert.rejects(
    reader.codeFor(account, 'sms'),
    (error: Error) => error instanceof NoInboxError && /INBOX_HTTP_URL/.test(error.message),
  );
});
