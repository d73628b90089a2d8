import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Secret } from 'otpauth';
import { AccountsFileError, LeaseBook, loadAccountsFile, matches, parseAccounts, shareOf } from '../accounts/account-pool.ts';

const secret = new Secret({ size: 20 }).base32;
const accounts = [
  { email: 'ada@outlook.com', password: 'p1', totpSecret: null, phone: null, plan: 'plus' },
  { email: 'bo@gmail.com', password: 'p2', totpSecret: secret, phone: '+15550001111', plan: 'free' },
  { email: 'cy@live.com', password: 'p3', totpSecret: null, phone: null, plan: 'plus' },
];

test('an accounts file is read, and its accounts match the account types they stand for', () => {
  const parsed = parseAccounts(JSON.stringify(accounts), 'accounts.json');
  assert.equal(parsed.length, 3);
  assert.ok(parsed[0] && matches(parsed[0], { emailProvider: 'outlook', phone: 'none', plan: 'plus', mfa: 'none', method: 'password' }));
  assert.ok(parsed[1] && matches(parsed[1], { emailProvider: 'gmail', phone: 'bound', plan: 'free', mfa: 'totp', method: 'password' }));
  assert.ok(parsed[1] && !matches(parsed[1], { emailProvider: 'gmail', phone: 'bound', plan: 'free', mfa: 'none', method: 'password' }));
});

test('a bad accounts file names the file, each entry and field, and the form expected', () => {
  assert.throws(
    () =>
      parseAccounts(
        JSON.stringify([{ email: 'nope', password: '', totpSecret: 'xyz!', phone: '12', plan: 'gold' }, accounts[0], accounts[0]]),
        'pool.json',
      ),
    (error: unknown) => {
      assert.ok(error instanceof AccountsFileError);
      for (const part of [
        'pool.json',
        'entry 0 field email',
        'entry 0 field password',
        'entry 0 field totpSecret',
        'entry 0 field phone',
        'entry 0 field plan',
        'ada@outlook.com appears twice',
      ]) {
        assert.ok(error.message.includes(part), part);
      }
      return true;
    },
  );
  assert.throws(() => parseAccounts('{', 'pool.json'), /not JSON/);
  assert.throws(() => parseAccounts('[]', 'pool.json'), /non-empty JSON array/);
  assert.throws(() => loadAccountsFile('/no/such/file.json'), /cannot be read/);
});

test('shards split the pool deterministically and never share an account', () => {
  const parsed = parseAccounts(JSON.stringify(accounts), 'a.json');
  const one = shareOf(parsed, { current: 1, total: 2 }).map((account) => account.email);
  const two = shareOf(parsed, { current: 2, total: 2 }).map((account) => account.email);
  assert.deepEqual(one, ['ada@outlook.com', 'cy@live.com']);
  assert.deepEqual(two, ['bo@gmail.com']);
  assert.equal(shareOf(parsed, null).length, 3);
});

test('a leased account is not leased again until released; a dead holder’s lease is taken over', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-leases-'));
  const [ada, bo] = parseAccounts(JSON.stringify(accounts), 'a.json');
  assert.ok(ada && bo);
  const book = new LeaseBook(dir);
  const first = book.tryLease(ada);
  assert.ok(first);
  assert.equal(book.tryLease(ada), undefined);
  assert.equal((await book.lease([ada, bo], 2_000))?.account.email, 'bo@gmail.com');
  const waiting = book.lease([ada], 5_000);
  first.release();
  assert.equal((await waiting)?.account.email, 'ada@outlook.com');

  // A lease held by a process that has exited:
  const other = new LeaseBook(mkdtempSync(path.join(tmpdir(), 'authmatrix-leases-')));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  const file = path.join(
    (other as unknown as { dir: string }).dir,
    `${(await import('node:crypto')).createHash('sha256').update(ada.email).digest('hex').slice(0, 16)}.lease`,
  );
  writeFileSync(file, JSON.stringify({ pid: Number(dead), since: 'earlier' }));
  assert.ok(other.tryLease(ada), 'the dead process’s lease is taken over');
});
