import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Secret } from 'otpauth';
import { AccountStore, DuplicateAccountError, NewAccountSchema } from '../lab/accounts.ts';
import { secondFactorOf } from '../lab/interactions.ts';

const valid = { email: 'Ada@Outlook.com', password: 'correct horse', phone: null, plan: 'plus', totpSecret: null };

test('a valid account is created with a lower-cased address and no readable password', () => {
  const store = new AccountStore();
  const account = store.create(NewAccountSchema.parse(valid));
  assert.equal(account.email, 'ada@outlook.com');
  assert.equal(store.verifyPassword(account, 'correct horse'), true);
  assert.equal(store.verifyPassword(account, 'wrong horse!'), false);
  assert.equal(JSON.stringify(store.list()).includes('correct horse'), false);
  assert.deepEqual(Object.keys(store.list()[0] ?? {}).sort(), ['createdAt', 'email', 'id', 'method', 'mfa', 'phone', 'plan']);
});

test('a second account with the same address is refused', () => {
  const store = new AccountStore();
  store.create(NewAccountSchema.parse(valid));
  assert.throws(() => store.create(NewAccountSchema.parse({ ...valid, email: 'ada@outlook.com' })), DuplicateAccountError);
});

test('bad fields are named', () => {
  const result = NewAccountSchema.safeParse({ ...valid, phone: '555-1234', totpSecret: 'not base32!', plan: 'gold', extra: 1 });
  assert.equal(result.success, false);
  const paths = result.error?.issues.map((issue) => issue.path.join('.') || issue.code) ?? [];
  assert.ok(paths.includes('phone'));
  assert.ok(paths.includes('totpSecret'));
  assert.ok(paths.includes('plan'));
  assert.ok(paths.some((path) => path === 'unrecognized_keys' || path === ''));
});

test('a base32 TOTP secret is accepted', () => {
  assert.equal(NewAccountSchema.safeParse({ ...valid, totpSecret: new Secret({ size: 20 }).base32 }).success, true);
});

test('the second factor follows from the account: TOTP, else SMS with a phone, else email', () => {
  assert.equal(secondFactorOf({ totpSecret: 'X', phone: '+15550000000' }), 'totp');
  assert.equal(secondFactorOf({ totpSecret: null, phone: '+15550000000' }), 'sms');
  assert.equal(secondFactorOf({ totpSecret: null, phone: null }), 'email');
});
