import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultSwitchboard, KNOWN_FAULT_IDS, parseFaultList, UnknownFaultError } from '../lab/faults.ts';

test('LAB_FAULTS parses ids, trims and de-duplicates', () => {
  assert.deepEqual(parseFaultList(' replica-lag , replica-lag'), ['replica-lag']);
  assert.deepEqual(parseFaultList(''), []);
  assert.deepEqual(parseFaultList(undefined), []);
});

test('an unknown fault id is refused with the known ones listed', () => {
  assert.throws(
    () => parseFaultList('replica-lag,nope'),
    (error: unknown) =>
      error instanceof UnknownFaultError && /"nope"/.test(error.message) && error.message.includes(KNOWN_FAULT_IDS.join(', ')),
  );
});

test('a change with one unknown id changes nothing', () => {
  const board = new FaultSwitchboard(['replica-lag']);
  assert.throws(() => board.apply({ disarm: ['replica-lag'], arm: ['bogus'] }), UnknownFaultError);
  assert.deepEqual(board.armed, ['replica-lag']);
  assert.throws(() => board.set(['bogus']), UnknownFaultError);
  assert.deepEqual(board.armed, ['replica-lag']);
});

test('arming and disarming notify listeners with the armed set', () => {
  const board = new FaultSwitchboard();
  const seen: string[][] = [];
  board.onChange((armed) => seen.push([...armed]));
  board.apply({ arm: ['replica-lag'] });
  board.apply({ disarm: ['replica-lag'] });
  assert.deepEqual(seen, [['replica-lag'], []]);
  assert.equal(board.isArmed('replica-lag'), false);
});
