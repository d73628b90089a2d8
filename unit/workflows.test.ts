import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';

interface Step {
  name?: string;
  id?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'timeout-minutes'?: number;
  steps: Step[];
}
interface Workflow {
  on: unknown;
  jobs: Record<string, Job>;
}

const scripts = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts);
const workflows = readdirSync('.github/workflows').filter((file) => file.endsWith('.yml'));
const read = (file: string) => readFileSync(`.github/workflows/${file}`, 'utf8');
const jobsOf = (file: string) => Object.entries((parse(read(file)) as Workflow).jobs);

/** Node versions CI may run on: a current LTS line (22 or 24). */
const LTS = ['22', '24'];

test('the workflows parse, pin every action by commit SHA with its version beside it, and call only scripts and configs that exist', () => {
  assert.deepEqual(workflows.sort(), ['nightly.yml', 'pull-request.yml']);
  for (const file of workflows) {
    const workflow = parse(read(file)) as Workflow;
    assert.ok(workflow.on, `${file} says when it runs`);
    for (const [name, job] of Object.entries(workflow.jobs)) {
      for (const step of job.steps) {
        if (step.uses)
          assert.match(step.uses, /^[\w-]+\/[\w/-]+@[0-9a-f]{40}$/, `${file} ${name}: ${step.uses} is pinned by a full commit SHA`);
        for (const script of step.run?.matchAll(/npm run (\S+)/g) ?? [])
          assert.ok(scripts.includes(script[1] ?? ''), `${file} ${name}: npm run ${script[1]} exists`);
        for (const config of step.run?.matchAll(/--config (\S+)/g) ?? [])
          assert.ok(existsSync(config[1] ?? ''), `${file} ${name}: ${config[1]} exists`);
      }
    }
    // The parsed YAML drops comments: the version a SHA stands for is read from the line itself.
    for (const line of read(file)
      .split('\n')
      .filter((text) => /\buses:/.test(text)))
      assert.match(line, /uses: [\w/-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, `${file}: "${line.trim()}" names its version in a comment`);
  }
});

test('every job has a timeout, and sets up Node on a current LTS line', () => {
  for (const file of workflows) {
    for (const [name, job] of jobsOf(file)) {
      const minutes = job['timeout-minutes'];
      assert.ok(typeof minutes === 'number' && minutes > 0 && minutes <= 120, `${file} ${name}: timeout-minutes (got ${minutes})`);
      // A job that runs commands sets up Node; one that only deploys what another built does not.
      if (!job.steps.some((step) => step.run !== undefined)) continue;
      const setups = job.steps.filter((step) => step.uses?.startsWith('actions/setup-node@'));
      assert.equal(setups.length, 1, `${file} ${name}: sets up Node once`);
      assert.ok(LTS.includes(String(setups[0]?.with?.['node-version'])), `${file} ${name}: Node ${LTS.join(' or ')}`);
    }
  }
  // Machines with only Node 20 still run the project.
  const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines.node;
  assert.equal(engines, '>=20');
});

test('the job summary is written even when npm run report fails', () => {
  for (const file of workflows) {
    for (const [name, job] of jobsOf(file)) {
      const summary = job.steps.find((step) => step.run?.includes('GITHUB_STEP_SUMMARY'));
      if (!summary) continue;
      assert.equal(summary.if, 'always()', `${file} ${name}: the summary step runs always()`);
      const report = job.steps.findIndex((step) => step.run?.includes('npm run report'));
      if (report >= 0) {
        assert.ok(job.steps.indexOf(summary) > report, `${file} ${name}: the summary comes after the report, and says when it failed`);
        assert.match(summary.run ?? '', /REPORT_OUTCOME/);
      }
    }
  }
});

test('the nightly shards over engines, merges blob reports, publishes the report with its history and fails on token_exchange_failed', () => {
  const nightly = read('nightly.yml');
  for (const part of [
    'schedule:',
    'workflow_dispatch:',
    '--shard=',
    'playwright install --with-deps',
    'merge-reports',
    'GITHUB_STEP_SUMMARY',
    'npm run gate',
    'allure-history',
    'actions/upload-pages-artifact@',
    'actions/deploy-pages@',
    '/history/history.jsonl',
  ]) {
    assert.ok(nightly.includes(part), part);
  }
});
