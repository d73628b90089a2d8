import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLoad } from '../scripts/load.ts';

test(
  'a bounded burst of concurrent logins through every entry point completes with no error and no lost message',
  { timeout: 120_000 },
  async () => {
    const result = await runLoad(6, 6);
    assert.equal(result.logins, 24);
    assert.deepEqual(result.errors, []);
    for (const [name, path] of Object.entries(result.byPath)) assert.equal(path.ok, 6, name);
  },
);
