import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';

interface Step {
  run?: string;
  uses?: string;
}
interface Workflow {
  on: unknown;
  jobs: Record<string, { steps: Step[] }>;
}

const scripts = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts);
const workflows = readdirSync('.github/workflows').filter((file) => file.endsWith('.yml'));

test('the workflows parse, pin every action to a version, and call only scripts and configs that exist', () => {
  assert.deepEqual(workflows.sort(), ['nightly.yml', 'pull-request.yml']);
  for (const file of workflows) {
    const workflow = parse(readFileSync(`.github/workflows/${file}`, 'utf8')) as Workflow;
    assert.ok(workflow.on, `${file} says when it runs`);
    for (const [name, job] of Object.entries(workflow.jobs)) {
      for (const step of job.steps) {
        if (step.uses) assert.match(step.uses, /^[\w-]+\/[\w/-]+@v\d+\.\d+\.\d+$/, `${file} ${name}: ${step.uses} is pinned to a version`);
        for (const script of step.run?.matchAll(/npm run (\S+)/g) ?? [])
          assert.ok(scripts.includes(script[1] ?? ''), `${file} ${name}: npm run ${script[1]} exists`);
        for (const config of step.run?.matchAll(/--config (\S+)/g) ?? [])
          assert.ok(existsSync(config[1] ?? ''), `${file} ${name}: ${config[1]} exists`);
      }
    }
  }
});

test('the nightly shards over engines, merges blob reports and fails on token_exchange_failed', () => {
  const nightly = readFileSync('.github/workflows/nightly.yml', 'utf8');
  for (const part of [
    'schedule:',
    'workflow_dispatch:',
    '--shard=',
    'playwright install --with-deps',
    'merge-reports',
    'GITHUB_STEP_SUMMARY',
    'npm run gate',
    'allure-history',
  ]) {
    assert.ok(nightly.includes(part), part);
  }
});
