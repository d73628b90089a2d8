/**
 * Triage as a user runs it: a red run against the lab with a fault armed, then `npm run triage`,
 * which must name the condition the fault documents, and say it where people look.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runSuite } from '../scripts/processes.ts';

test('after a run with plus-claims-error armed, npm run triage names plan=plus and nothing else', async () => {
  const env = { MATRIX: 'smoke', LAB_FAULTS: 'plus-claims-error', LAB_PORT: '4850', CI: '1' };
  const run = await runSuite(['tests/matrix.spec.ts', '--workers', '2', '--retries', '0'], env);
  assert.notEqual(run.status, 0, 'the fault turns the Plus cells red');
  const triage = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/triage.ts'], {
    env: { ...process.env, ...env, CI: undefined },
    encoding: 'utf8',
  });
  assert.equal(triage.status, 0, `${triage.stdout}${triage.stderr}`);
  assert.match(triage.stdout, /token_exchange_failed \(claims-error\) needs plan=plus — independent of profile, emailProvider, phone, mfa/);
  const json = JSON.parse(readFileSync('reports/triage.json', 'utf8')) as {
    verdicts: { outcome: string; needs: { label: string }[]; reruns: number }[];
  };
  assert.deepEqual(
    json.verdicts.map((verdict) => [verdict.outcome, verdict.needs.map((need) => need.label)]),
    [['settled', ['plan=plus']]],
  );
  assert.ok((json.verdicts[0]?.reruns ?? 99) <= 18, 'at most 2 × axes + 2 re-runs');
  assert.match(
    readFileSync('reports/matrix-summary.md', 'utf8'),
    /^<!-- authmatrix triage -->\n## Triage: what each regression needs\n\n- token_exchange_failed \(claims-error\) needs plan=plus/,
  );
});
