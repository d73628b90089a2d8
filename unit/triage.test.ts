import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axes } from '../matrix/axes.ts';
import { cellKey, SEED_CASE, type Cell } from '../matrix/cells.ts';
import { riskOrder } from '../matrix/order.ts';
import {
  confirmationCell,
  judgeFlips,
  pickRedCell,
  planFlips,
  renderVerdict,
  unmovedAxes,
  type AxisValues,
  type Flip,
} from '../matrix/triage.ts';

const values = axes() as unknown as AxisValues;
const cell = (over: Partial<Cell>): Cell => ({ ...SEED_CASE, ...over });

/** Plays a fault as a function of the cell: red where it hurts. */
function judgeAgainst(red: Cell, hurts: (cell: Cell) => boolean) {
  const flips = planFlips(red, values);
  return judgeFlips(red, flips, (flip: Flip) => (hurts(flip.cell) ? 'red' : 'green'));
}

const labels = (judged: ReturnType<typeof judgeAgainst>) => judged.needs.map((need) => need.label);

test('each move is one axis from the red cell, within the constraints', () => {
  const red = cell({ clock: 'ahead-90s', cookies: 'stale-login', network: 'edge-west' });
  const flips = planFlips(red, values);
  for (const flip of flips) {
    const moved = Object.keys(red).filter((axis) => red[axis as keyof Cell] !== flip.cell[axis as keyof Cell]);
    assert.deepEqual(moved, [flip.axis]);
  }
  assert.ok(!flips.some((flip) => flip.cell.profile === 'ios-app'), 'a native client cannot take a skewed clock or a web cookie jar');
  assert.ok(flips.length <= 2 * 8, `${flips.length} moves`);
});

test('single moves name what a fault needs: a value, any value but the baseline, a kind of client', () => {
  assert.deepEqual(labels(judgeAgainst(cell({}), (c) => c.emailProvider === 'outlook')), ['emailProvider=outlook']);
  const edge = cell({ profile: 'macos-safari', network: 'edge-west', clock: 'behind-90s', cookies: 'stale-login' });
  assert.deepEqual(labels(judgeAgainst(edge, (c) => c.profile !== 'ios-app' && c.profile !== 'desktop-cli' && c.network === 'edge-west')), [
    'client=browser',
    'network=edge-west',
  ]);
  const clock = cell({ profile: 'android-chrome', clock: 'ahead-90s' });
  assert.deepEqual(labels(judgeAgainst(clock, (c) => c.clock !== 'synced')), ['client=browser', 'clock≠synced']);
  const webTokenService = judgeAgainst(cell({}), (c) => c.profile !== 'ios-app');
  assert.deepEqual(labels(webTokenService), ['client∈{browser,desktop-cli}']);
  assert.ok(webTokenService.independentOf.includes('emailProvider'));
  const everywhere = judgeAgainst(cell({}), () => true);
  assert.deepEqual(labels(everywhere), []);
  assert.equal(everywhere.independentOf.length, 9);
});

test('the confirming cell moves every axis found not needed to its baseline, and the nearest red cell is chosen', () => {
  const red = cell({ profile: 'macos-safari', clock: 'ahead-90s', network: 'edge-east', plan: 'plus' });
  assert.deepEqual(confirmationCell(red, ['network', 'plan']), { ...red, network: 'direct', plan: 'free' });
  const near = cell({});
  assert.equal(pickRedCell([cell({ clock: 'ahead-4m', network: 'corporate' }), near]), near);
});

test('a verdict reads as one line', () => {
  assert.equal(
    renderVerdict({
      signature: 'token_exchange_failed (upstream-email-verification)',
      cell: 'x',
      outcome: 'settled',
      needs: [{ axis: 'emailProvider', op: '=', values: ['outlook'], label: 'emailProvider=outlook' }],
      independentOf: ['profile', 'phone'],
      reruns: 9,
      seconds: 41,
    }),
    'token_exchange_failed (upstream-email-verification) needs emailProvider=outlook — independent of profile, phone (9 re-runs, 41 s)',
  );
});

test('risk order: recently red cells first, then the seed case, then the cell that covers the most new values', () => {
  const cells = [
    cell({ profile: 'macos-safari', clock: 'ahead-90s' }),
    cell({ profile: 'android-chrome', emailProvider: 'gmail', network: 'edge-east' }),
    cell({}),
    cell({ profile: 'desktop-cli', phone: 'bound', plan: 'free' }),
  ];
  const recent = [cellKey(cells[3] as Cell)];
  const ordered = riskOrder(cells, recent);
  assert.deepEqual(ordered[0], cells[3], 'red in a recent run');
  assert.deepEqual(ordered[1], cells[2], 'the seed case');
  assert.equal(ordered.length, 4);
  assert.deepEqual(riskOrder(cells, []).at(0), cells[2]);
});

test('triage picks a red cell whose axes it can move, and names every axis it could not move, with why', () => {
  const values: AxisValues = {
    profile: ['windows-chrome', 'ios-app', 'desktop-cli'],
    emailProvider: ['outlook', 'gmail'],
    phone: ['bound', 'none'],
    plan: ['plus', 'free'],
    mfa: ['totp', 'none'],
    method: ['password', 'federated'],
    cookies: ['fresh', 'returning', 'stale-login'],
    clock: ['synced', 'ahead-90s'],
    network: ['direct'],
  };
  const cli = cell({ profile: 'desktop-cli', emailProvider: 'outlook' });
  const web = cell({ profile: 'windows-chrome', emailProvider: 'outlook', clock: 'ahead-90s' });
  assert.equal(pickRedCell([cli, web], values), web, 'the browser cell can move its clock; the CLI cell cannot');
  const unmoved = unmovedAxes(cli, values);
  assert.deepEqual(
    unmoved.map((entry) => entry.axis),
    ['clock', 'network'],
  );
  assert.match(unmoved[0]?.why ?? '', /a desktop-cli cell takes only synced \(constraint native-clock\)/);
  assert.match(unmoved[1]?.why ?? '', /the run had only direct/);
  const line = renderVerdict({
    signature: 'token_exchange_failed (upstream-email-verification)',
    cell: 'x',
    outcome: 'settled',
    needs: [{ axis: 'emailProvider', op: '=', values: ['outlook'], label: 'emailProvider=outlook' }],
    independentOf: ['phone'],
    unmoved,
    reruns: 4,
    seconds: 9,
  });
  assert.match(line, /not moved, so not judged: clock \(a desktop-cli cell takes only synced/);
});
