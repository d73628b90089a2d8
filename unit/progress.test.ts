/**
 * Progress lines of the long commands (bench, drill, triage): their form, the count of a
 * Playwright run's finished tests, and the line that breaks a silence while a child runs.
 */
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { formatElapsed, Progress, progressLine, SuiteCounter } from '../scripts/progress.ts';

test('elapsed time reads as seconds, minutes or hours', () => {
  assert.equal(formatElapsed(0), '0 s');
  assert.equal(formatElapsed(59_999), '59 s');
  assert.equal(formatElapsed(65_000), '1 min 05 s');
  assert.equal(formatElapsed(3_720_000), '1 h 02 min');
  assert.equal(progressLine('drill', 65_000, 'fault 2/9 replica-lag: tier smoke'), 'drill [1 min 05 s] fault 2/9 replica-lag: tier smoke');
});

test("a Playwright run's list reporter lines give its finished tests and failures", () => {
  const counter = new SuiteCounter();
  assert.equal(counter.describe(), undefined);
  for (const line of [
    'authmatrix: tier smoke, 5 cells',
    '',
    'Running 5 tests using 2 workers',
    '  ✓  1 [chromium] › tests/matrix.spec.ts:50:11 › sign-in matrix › a (1.2s)',
    '  ✘  3 [chromium] › tests/matrix.spec.ts:50:11 › sign-in matrix › c (3.0s)',
    '  ✓  2 [chromium] › tests/matrix.spec.ts:50:11 › sign-in matrix › b (1.9s)',
    '  -  4 [chromium] › tests/matrix.spec.ts:50:11 › sign-in matrix › d',
  ])
    counter.feed(line);
  assert.equal(counter.describe(), '4/5 tests done, 1 failed');
});

test('while a child runs, a line comes whenever the command was quiet for the quiet time, never later', async () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    let now = 0;
    const lines: { at: number; line: string }[] = [];
    const progress = new Progress('triage', { now: () => now, write: (line) => lines.push({ at: now, line }), quietMs: 8_000 });
    progress.say('round 1: 12 re-run(s)');
    let finish: (value: string) => void = () => undefined;
    const child = new Promise<string>((resolve) => (finish = resolve));
    let done = 3;
    const running = progress.during('triage round 1', child, () => `${done}/12 tests done`);
    for (let second = 1; second <= 30; second += 1) {
      now = second * 1_000;
      if (second === 12) progress.say('triage round 1: re-run 4/12 done');
      if (second === 12) done = 4;
      mock.timers.tick(1_000);
    }
    finish('ok');
    assert.equal(await running, 'ok');
    const gaps = lines.slice(1).map((entry, index) => entry.at - (lines[index]?.at ?? 0));
    assert.ok(
      gaps.every((gap) => gap <= 8_000),
      `gaps ${gaps.join(', ')}`,
    );
    assert.deepEqual(
      lines.map((entry) => entry.line),
      [
        'triage [0 s] round 1: 12 re-run(s)',
        'triage [8 s] triage round 1: running for 8 s, 3/12 tests done',
        'triage [12 s] triage round 1: re-run 4/12 done',
        'triage [20 s] triage round 1: running for 20 s, 4/12 tests done',
        'triage [28 s] triage round 1: running for 28 s, 4/12 tests done',
      ],
    );
    // The ticker ends with the child: no line after it.
    now = 60_000;
    mock.timers.tick(10_000);
    assert.equal(lines.length, 5);
  } finally {
    mock.timers.reset();
  }
});
