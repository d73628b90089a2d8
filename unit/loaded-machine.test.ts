/**
 * A busy machine makes a run slower, never red: the smoke tier, with no retries, while stress-ng
 * keeps both cores busy (bounded in time), as on a shared CI runner. The pairwise tier's longer form
 * (`--repeat-each=3`) is the README's "Verdicts under load" command.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { runSuite, stopProcess } from '../scripts/processes.ts';

const hasStressNg = spawnSync('stress-ng', ['--version'], { stdio: 'ignore' }).status === 0;
const skip = !hasStressNg && !process.env.CI ? 'stress-ng is needed (apt-get install stress-ng)' : false;

test('the smoke tier passes with no retry while a CPU hog keeps every core busy', { skip }, async () => {
  const cores = availableParallelism();
  // Bounded twice: stress-ng stops itself, and the test stops it when the run ends.
  const hog = spawn('stress-ng', ['--cpu', String(cores), '--timeout', '240s', '--quiet'], { stdio: 'ignore' });
  try {
    const run = await runSuite(['tests/matrix.spec.ts', '--retries', '0', '--workers', '2'], {
      MATRIX: 'smoke',
      LAB_PORT: '4840',
      CI: '1',
      TIMEOUT_SCALE: undefined,
    });
    assert.equal(run.status, 0, run.output);
    assert.match(run.output, /timeouts ×[\d.]+ \(measured: CPU share [\d.]+, load [\d.]+ per core\)/);
    const summary = JSON.parse(readFileSync('reports/matrix-summary.json', 'utf8')) as { totals: Record<string, number> };
    assert.deepEqual([summary.totals.failed, summary.totals.intermittent, summary.totals.passed], [0, 0, summary.totals.cells]);
  } finally {
    await stopProcess(hog, 2_000);
  }
});
