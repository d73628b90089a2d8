/**
 * The journey's looks ask their questions together and read the answers in turn (pages/locate.ts,
 * askNow): an answer read gives the question's value or its failure; a failure never read is
 * neither thrown nor left as an unhandled rejection.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { askNow } from '../pages/locate.ts';

test('an answer read is the value, or the failure, of its question', async () => {
  assert.equal(await askNow(Promise.resolve(true))(), true);
  await assert.rejects(askNow(Promise.reject(new Error('matches two fields')))(), /matches two fields/);
});

test('a failed question whose answer is never read goes unnoticed', async () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', record);
  try {
    const [first] = [Promise.resolve('second-factor'), Promise.reject(new Error('never read'))].map(askNow);
    assert.equal(await first?.(), 'second-factor');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', record);
  }
});
