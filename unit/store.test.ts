import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adapterFor, ReplicatedStore } from '../lab/store.ts';

test('the primary reads a record at once; the replica only once the lag has passed', () => {
  let now = 1_000_000;
  const store = new ReplicatedStore(5_000, () => now);
  store.write('AuthorizationCode:abc', { accountId: 'a1' }, 60);
  assert.deepEqual(store.read('AuthorizationCode:abc', 'primary'), { accountId: 'a1' });
  assert.equal(store.read('AuthorizationCode:abc', 'replica'), undefined);
  now += 4_999;
  assert.equal(store.read('AuthorizationCode:abc', 'replica'), undefined);
  now += 1;
  assert.deepEqual(store.read('AuthorizationCode:abc', 'replica'), { accountId: 'a1' });
});

test('with no lag the replica reads what the primary wrote', () => {
  const store = new ReplicatedStore(0);
  store.write('k', { accountId: 'x' }, 60);
  assert.deepEqual(store.read('k', 'replica'), { accountId: 'x' });
});

test('an expired record is gone for both nodes', () => {
  let now = 0;
  const store = new ReplicatedStore(0, () => now);
  store.write('k', { accountId: 'x' }, 1);
  now = 1_000;
  assert.equal(store.read('k', 'primary'), undefined);
});

test('a negative lag is refused with the value named', () => {
  const store = new ReplicatedStore();
  assert.throws(() => (store.lagMs = -1), /non-negative.*-1/);
});

test('adapters share one store: consume on one node is seen by the other; revokeByGrantId removes the grant', async () => {
  const store = new ReplicatedStore(0);
  const Primary = adapterFor(store, 'primary');
  const Replica = adapterFor(store, 'replica');
  const primary = new Primary('AuthorizationCode');
  const replica = new Replica('AuthorizationCode');
  await primary.upsert('c1', { grantId: 'g1', uid: 'u1' }, 60);
  await replica.consume('c1');
  assert.equal(typeof (await primary.find('c1'))?.consumed, 'number');
  assert.deepEqual((await replica.findByUid('u1'))?.grantId, 'g1');
  await primary.revokeByGrantId('g1');
  assert.equal(await primary.find('c1'), undefined);
});
