import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errors } from '@playwright/test';
import { classify } from '../evidence/classify.ts';
import { EvidenceRecorder } from '../evidence/evidence.ts';
import { MAX_TIMEOUT_SCALE, measureContention, scaleFor } from '../settings/timeouts.ts';

test('the timeout scale is 1 on a quiet machine and grows with contention, within its bound; the lagging load average is not read', () => {
  assert.equal(scaleFor({ cpuShare: 1.05 }), 1);
  assert.equal(scaleFor({ cpuShare: 1.3 }), 3, 'a hog per core: the run itself competes on top of it');
  assert.equal(scaleFor({ cpuShare: 9 }), MAX_TIMEOUT_SCALE);
  const now = measureContention();
  assert.ok(now.cpuShare > 0 && now.loadPerCore >= 0);
});

test('a cell out of time with nothing pending is test-defect (timeout), with how long each step took', () => {
  const recorder = new EvidenceRecorder({ url: /\/token$/, method: 'POST' }, 'http://127.0.0.1:4702/callback');
  recorder.timeline.entries.push(
    { step: 'Open the app', startedAt: new Date().toISOString(), durationMs: 812 },
    { step: 'Enter the password', startedAt: new Date().toISOString() },
  );
  recorder.recordTimeout(60_000);
  const result = recorder.verdict;
  assert.ok(result);
  assert.deepEqual([result.category, result.cause], ['test-defect', 'timeout']);
  assert.match(
    result.summary,
    /ran out of its 60000 ms with no request pending at the target; steps: Open the app 812 ms, Enter the password unfinished; on a busy machine raise TIMEOUT_SCALE/,
  );
});

test('the classifier never names a regression for a slow step of its own', () => {
  const result = classify({ thrown: new errors.TimeoutError('page.waitForURL: Timeout 20000ms exceeded.') });
  assert.equal(result.category, 'test-defect');
});
