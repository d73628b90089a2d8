import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { CodeNotReceivedError, CodeReader, TotpGenerator } from '../fixtures/codes.ts';

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

test('SMS and email codes are read from the next message after the last one seen', async () => {
  const asked: string[] = [];
  const messages = [
    { seq: 3, text: 'Your code is 111111.' },
    { seq: 7, text: 'Your code is 222222.' },
  ];
  const reader = new CodeReader({
    nextMessage: (address, after) => {
      asked.push(`${address}>${after}`);
      return Promise.resolve(messages.find((message) => message.seq > after));
    },
  });
  assert.equal(await reader.codeFor(account, 'sms'), '111111');
  assert.equal(await reader.codeFor(account, 'sms'), '222222');
  assert.deepEqual(asked, ['+15550001111>0', '+15550001111>3']);
});

test('no message in time is a named error', async () => {
  const reader = new CodeReader({ nextMessage: () => Promise.resolve(undefined) }, 10);
  await assert.rejects(reader.codeFor(account, 'email'), CodeNotReceivedError);
});
