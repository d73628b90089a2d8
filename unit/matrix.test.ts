import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AXIS_NAMES, axes } from '../matrix/axes.ts';
import { cellKey, cellsFor, cellTitle, pairCoverage } from '../matrix/cells.ts';
import { CONSTRAINTS, satisfiesConstraints } from '../matrix/constraints.ts';
import { PROFILES } from '../matrix/profiles.ts';

test('pairwise covers every allowed pair of values of every two axes', () => {
  const cells = cellsFor('pairwise');
  const coverage = pairCoverage(cells);
  assert.deepEqual(coverage.missing, []);
  assert.equal(coverage.covered, coverage.allowed);
  assert.ok(cells.length < 60, `pairwise stays small (${cells.length} cells)`);
});

test('the same tier gives the same cells in the same order, run after run', () => {
  assert.deepEqual(cellsFor('pairwise').map(cellKey), cellsFor('pairwise').map(cellKey));
  assert.deepEqual(cellsFor('full').map(cellKey), cellsFor('full').map(cellKey));
});

test('no generated cell breaks a constraint, and no cell appears twice', () => {
  for (const tier of ['smoke', 'pairwise', 'full'] as const) {
    const cells = cellsFor(tier);
    for (const cell of cells) assert.ok(satisfiesConstraints(cell), `${tier}: ${cellTitle(cell)}`);
    assert.equal(new Set(cells.map(cellKey)).size, cells.length, `${tier} has duplicates`);
  }
});

test('full covers every allowed triple of values (3-wise)', () => {
  const cells = cellsFor('full');
  const all = axes();
  const seen = new Set<string>();
  for (const cell of cells) {
    for (let i = 0; i < AXIS_NAMES.length; i += 1)
      for (let j = i + 1; j < AXIS_NAMES.length; j += 1)
        for (let k = j + 1; k < AXIS_NAMES.length; k += 1) {
          const [a, b, c] = [AXIS_NAMES[i], AXIS_NAMES[j], AXIS_NAMES[k]] as const;
          if (a && b && c) seen.add(`${a}=${cell[a]}|${b}=${cell[b]}|${c}=${cell[c]}`);
        }
  }
  let missing = 0;
  for (let i = 0; i < AXIS_NAMES.length; i += 1)
    for (let j = i + 1; j < AXIS_NAMES.length; j += 1)
      for (let k = j + 1; k < AXIS_NAMES.length; k += 1) {
        const [a, b, c] = [AXIS_NAMES[i], AXIS_NAMES[j], AXIS_NAMES[k]] as const;
        if (!a || !b || !c) continue;
        for (const x of all[a])
          for (const y of all[b])
            for (const z of all[c]) {
              if (!satisfiesConstraints({ [a]: x, [b]: y, [c]: z })) continue;
              if (!seen.has(`${a}=${x}|${b}=${y}|${c}=${z}`)) missing += 1;
            }
      }
  assert.equal(missing, 0);
});

test('titles read profile · account type · cookies · clock · network', () => {
  assert.equal(
    cellTitle({
      profile: 'windows-chrome',
      emailProvider: 'outlook',
      phone: 'none',
      plan: 'plus',
      mfa: 'totp',
      method: 'password',
      cookies: 'stale-login',
      clock: 'ahead-90s',
      network: 'edge-west',
    }),
    'windows-chrome · outlook/none/plus/totp · stale-login · ahead-90s · edge-west',
  );
});

test('a user network path joins the axis and is covered in every tier', () => {
  for (const tier of ['smoke', 'pairwise'] as const) {
    const cells = cellsFor(tier, ['office-vpn']);
    assert.ok(
      cells.some((cell) => cell.network === 'office-vpn'),
      tier,
    );
  }
  assert.deepEqual(pairCoverage(cellsFor('pairwise', ['office-vpn']), ['office-vpn']).missing, []);
});

test('native clients get only the cookie and clock values their constraints allow', () => {
  const native = cellsFor('full').filter((cell) => cell.profile === 'ios-app' || cell.profile === 'desktop-cli');
  assert.ok(native.length > 0);
  for (const cell of native) {
    assert.ok(['fresh', 'returning'].includes(cell.cookies), cellTitle(cell));
    assert.equal(cell.clock, 'synced');
  }
  for (const constraint of CONSTRAINTS) assert.ok(constraint.reason.length > 40, `${constraint.id} says why`);
});

test('smoke holds the seed article case and every kind of client', () => {
  const smoke = cellsFor('smoke');
  assert.ok(smoke.some((cell) => cell.profile === 'windows-chrome' && cell.emailProvider === 'outlook' && cell.phone === 'none'));
  for (const kind of ['web', 'ios-app', 'desktop-cli']) {
    assert.ok(
      smoke.some((cell) => PROFILES.find((profile) => profile.name === cell.profile)?.kind === kind),
      kind,
    );
  }
});

test('an account axis that does not apply to a target is held to one value, in every tier, with every other pair still covered', () => {
  for (const tier of ['smoke', 'pairwise', 'full'] as const) {
    const cells = cellsFor(tier, [], false, { phone: 'none' });
    assert.ok(cells.length > 0);
    assert.ok(
      cells.every((cell) => cell.phone === 'none'),
      `${tier}: every cell has phone=none`,
    );
    assert.equal(new Set(cells.map(cellKey)).size, cells.length, `${tier}: no cell twice`);
    if (tier !== 'smoke') assert.deepEqual(pairCoverage(cells, [], false, { phone: 'none' }).missing, []);
  }
});
