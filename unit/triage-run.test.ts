/**
 * Triage as a user runs it: a red run against the lab with a fault armed, then `npm run triage`,
 * which must name the condition the fault documents, and say it where people look.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { Server } from 'proxy-chain';
import { runSuite } from '../scripts/processes.ts';

/** `npm run triage` over the last run, with the run's environment (asynchronously: a proxy in this process must keep serving). */
async function runTriage(env: Record<string, string>): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/triage.ts'], {
    env: { ...process.env, ...env, CI: undefined },
    encoding: 'utf8',
  });
  return stdout;
}

/** The descriptions of the failed results in allure-results/. */
function failedDescriptions(): string[] {
  return readdirSync('allure-results')
    .filter((name) => name.endsWith('-result.json'))
    .map((name) => JSON.parse(readFileSync(path.join('allure-results', name), 'utf8')) as { status: string; description?: string })
    .filter((result) => result.status === 'failed')
    .map((result) => result.description ?? '');
}

test('after a run with plus-claims-error armed, npm run triage names plan=plus and nothing else', async () => {
  const env = { MATRIX: 'smoke', LAB_FAULTS: 'plus-claims-error', LAB_PORT: '4850', CI: '1' };
  const run = await runSuite(['tests/matrix.spec.ts', '--workers', '2', '--retries', '0'], env);
  assert.notEqual(run.status, 0, 'the fault turns the Plus cells red');
  const stdout = await runTriage(env);
  assert.match(stdout, /token_exchange_failed \(claims-error\) needs plan=plus — independent of profile, emailProvider, phone, mfa/);
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
  const descriptions = failedDescriptions();
  assert.ok(descriptions.length > 0);
  for (const description of descriptions)
    assert.match(
      description,
      /\*\*Triage:\*\* token_exchange_failed \(claims-error\) needs plan=plus/,
      'each red cell carries the triage line',
    );
});

test('a proxy of your own in NETWORK_PATHS that breaks token responses is named by triage as network=<its name>', async () => {
  // An office VPN whose proxy answers every token request with its own 502 page.
  const proxy = new Server({
    port: 0,
    host: '127.0.0.1',
    prepareRequestFunction: ({ request, isHttp }) =>
      isHttp && request.method === 'POST' && /\/token$/.test(new URL(request.url ?? '/', 'http://x').pathname)
        ? {
            customResponseFunction: () => ({
              statusCode: 502,
              headers: { 'content-type': 'text/html', via: '1.1 office-vpn' },
              body: '<html><body><h1>502 Bad Gateway</h1><p>The proxy could not forward your request.</p></body></html>',
            }),
          }
        : {},
  });
  await proxy.listen();
  try {
    const env = { MATRIX: 'smoke', NETWORK_PATHS: `office-vpn=http://127.0.0.1:${proxy.port}`, LAB_PORT: '4850', CI: '1' };
    const run = await runSuite(['tests/matrix.spec.ts', '--workers', '2', '--retries', '0'], env);
    assert.notEqual(run.status, 0, `the office-vpn cell is red: ${run.output.slice(-2000)}`);
    const stdout = await runTriage(env);
    assert.match(stdout, /token_exchange_failed \(edge\) needs [^\n]*network=office-vpn/, stdout);
    const json = JSON.parse(readFileSync('reports/triage.json', 'utf8')) as { verdicts: { outcome: string; needs: { label: string }[] }[] };
    assert.deepEqual(
      json.verdicts.map((verdict) => [verdict.outcome, verdict.needs.some((need) => need.label === 'network=office-vpn')]),
      [['settled', true]],
    );
  } finally {
    await proxy.close(true);
  }
});
