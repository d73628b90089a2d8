/**
 * Triage: which conditions a regression needs. Pure planning and judging; scripts/triage.ts runs
 * the cells. For one red cell of a failure signature, each axis is moved, one at a time, to its
 * baseline value (or, where the cell already has it, to another) and, for axes with more values,
 * to a second value that is not the baseline: a move that turns the cell green marks the value as
 * needed; the second move says whether that exact value is needed or any but the baseline. The
 * client profile moves across kinds (browser, iOS app, CLI) and within its kind. A last run moves
 * every axis found not needed to its baseline at once and must stay red; when it does not, the
 * conditions are a combination single moves cannot settle, and triage says so.
 */
import { AXIS_NAMES, type AxisName } from './axes.ts';
import { cellKey, type Cell } from './cells.ts';
import { CONSTRAINTS, satisfiesConstraints } from './constraints.ts';
import { PROFILES, profileNamed, type ProfileKind } from './profiles.ts';

/** The value each axis is moved to first: where regressions are rarest. */
export const BASELINE: Readonly<Record<Exclude<AxisName, 'profile'>, string>> = {
  emailProvider: 'gmail',
  phone: 'bound',
  plan: 'free',
  mfa: 'none',
  method: 'password',
  cookies: 'fresh',
  clock: 'synced',
  network: 'direct',
};

/** How people call each client kind. */
export const KIND_NAMES: Record<ProfileKind, string> = { web: 'browser', 'ios-app': 'ios-app', 'desktop-cli': 'desktop-cli' };

/** The baseline profile of a kind: the first profile of it. */
function baselineProfileOf(kind: ProfileKind): string | undefined {
  return PROFILES.find((profile) => profile.kind === kind)?.name;
}

/** One re-run of a cell with one or more axes moved. */
export interface Flip {
  axis: AxisName | 'all-not-needed';
  /** `first` moves to the baseline (or away from it); `second` to another non-baseline value; `kind:*` to another client kind. */
  move: string;
  cell: Cell;
}

/** The axes' values, as the run had them, for choosing moves. */
export type AxisValues = Readonly<Record<AxisName, readonly string[]>>;

const valid = (cell: Cell) => satisfiesConstraints(cell);

/** The single-axis moves for `red`, each a valid cell (a move no valid cell allows is left out). */
export function planFlips(red: Cell, values: AxisValues): Flip[] {
  const flips: Flip[] = [];
  const add = (axis: AxisName, move: string, value: string) => {
    const cell = { ...red, [axis]: value };
    if (value !== red[axis] && valid(cell)) flips.push({ axis, move, cell });
  };
  // The client: each other kind (at its baseline profile), and another profile of the same kind.
  const kind = profileNamed(red.profile).kind;
  for (const other of ['web', 'ios-app', 'desktop-cli'] as const) {
    const profile = other === kind ? undefined : baselineProfileOf(other);
    if (profile && values.profile.includes(profile)) add('profile', `kind:${other}`, profile);
  }
  const sameKind = values.profile.find((name) => name !== red.profile && profileNamed(name).kind === kind);
  if (sameKind) add('profile', 'second', sameKind);
  for (const axis of AXIS_NAMES.slice(1) as Exclude<AxisName, 'profile'>[]) {
    const baseline = BASELINE[axis];
    const options = values[axis];
    if (options.length < 2) continue;
    if (red[axis] !== baseline) {
      if (options.includes(baseline)) add(axis, 'first', baseline);
      const second = options.find((value) => value !== baseline && value !== red[axis]);
      if (second) add(axis, 'second', second);
    } else {
      const other = options.find((value) => value !== baseline);
      if (other) add(axis, 'first', other);
    }
  }
  return flips;
}

/** A condition a regression needs, as data and as people read it. */
export interface Condition {
  axis: AxisName | 'client';
  /** `=`: this value; `≠`: any value but this one; `∈`: one of these. */
  op: '=' | '≠' | '∈';
  values: string[];
  label: string;
}

export interface TriageVerdict {
  /** `token_exchange_failed (edge)`. */
  signature: string;
  cell: string;
  /**
   * settled: the conditions below; intermittent: the cell did not fail again, or a move disagreed
   * with itself; combination: single moves did not settle it and delta debugging found the values
   * needed together (in `together`) or, out of budget, did not; stopped: a re-run could not run.
   */
  outcome: 'settled' | 'intermittent' | 'combination' | 'stopped';
  needs: Condition[];
  /** For a combination: the values delta debugging found needed together, on top of `needs`. */
  together?: Condition[];
  independentOf: AxisName[];
  /** Axes triage could not move on its red cell, each with why: it says nothing of them. */
  unmoved?: { axis: AxisName; why: string }[];
  reruns: number;
  seconds: number;
  /** Why triage stopped early (an attempt budget spent) or found the failure intermittent. */
  note?: string;
}

/** What each re-run did: red (the signature again), green, or other (another failure). */
export type Observed = 'red' | 'green' | 'other';

/** The conditions the single moves show: per axis, needed (and how) or not. */
export function judgeFlips(
  red: Cell,
  flips: readonly Flip[],
  observed: (flip: Flip) => Observed,
): { needs: Condition[]; independentOf: AxisName[] } {
  const needs: Condition[] = [];
  const independentOf: AxisName[] = [];
  const kind = profileNamed(red.profile).kind;
  const byAxis = (axis: AxisName) => flips.filter((flip) => flip.axis === axis);

  // The client: the kinds that stay red, or this exact profile when another of its kind is green.
  const clientFlips = byAxis('profile');
  const kindFlips = clientFlips.filter((flip) => flip.move.startsWith('kind:'));
  const sameKind = clientFlips.find((flip) => flip.move === 'second');
  if (sameKind && observed(sameKind) === 'green') {
    needs.push({ axis: 'profile', op: '=', values: [red.profile], label: `profile=${red.profile}` });
  } else if (kindFlips.some((flip) => observed(flip) === 'green')) {
    const redKinds = [kind, ...kindFlips.filter((flip) => observed(flip) !== 'green').map((flip) => flip.move.slice('kind:'.length))];
    const order: ProfileKind[] = ['web', 'ios-app', 'desktop-cli'];
    const names = order.filter((name) => redKinds.includes(name)).map((name) => KIND_NAMES[name]);
    needs.push({
      axis: 'client',
      op: names.length === 1 ? '=' : '∈',
      values: names,
      label: names.length === 1 ? `client=${names[0]}` : `client∈{${names.join(',')}}`,
    });
  } else if (kindFlips.length === 0 && kind === 'web') {
    // No other kind can take this cell's conditions (a skewed clock, a web cookie jar): only browsers can meet them.
    needs.push({ axis: 'client', op: '=', values: ['browser'], label: 'client=browser' });
  } else {
    independentOf.push('profile');
  }

  for (const axis of AXIS_NAMES.slice(1) as Exclude<AxisName, 'profile'>[]) {
    const first = byAxis(axis).find((flip) => flip.move === 'first');
    const second = byAxis(axis).find((flip) => flip.move === 'second');
    if (!first || observed(first) !== 'green') {
      if (first) independentOf.push(axis);
      continue;
    }
    const baseline = BASELINE[axis];
    if (red[axis] !== baseline && second && observed(second) !== 'green') {
      needs.push({ axis, op: '≠', values: [baseline], label: `${axis}≠${baseline}` });
    } else {
      needs.push({ axis, op: '=', values: [red[axis]], label: `${axis}=${red[axis]}` });
    }
  }
  return { needs, independentOf };
}

/** The cell with every axis found not needed at its baseline (within the constraints): it must stay red. */
export function confirmationCell(red: Cell, independentOf: readonly AxisName[]): Cell {
  let cell = { ...red };
  for (const axis of independentOf) {
    const value = axis === 'profile' ? (baselineProfileOf(profileNamed(red.profile).kind) ?? red.profile) : BASELINE[axis];
    const moved = { ...cell, [axis]: value };
    if (valid(moved)) cell = moved;
  }
  return cell;
}

/**
 * One step of Zeller's ddmin over `changes` (the axes whose red values, put back on a green cell,
 * may bring the failure back): the subsets and complements to try at granularity `n`.
 */
export function ddminCandidates<T>(changes: readonly T[], n: number): { subsets: T[][]; complements: T[][] } {
  const size = Math.ceil(changes.length / n);
  const subsets = Array.from({ length: n }, (_, index) => changes.slice(index * size, (index + 1) * size)).filter((part) => part.length);
  const complements = subsets.length > 2 ? subsets.map((part) => changes.filter((change) => !part.includes(change))) : [];
  return { subsets, complements };
}

/**
 * The next state of ddmin after a step's outcomes: a failing subset or complement narrows the
 * search; none refines the granularity; at single changes with none failing, `changes` is 1-minimal.
 */
export function ddminNext<T>(
  changes: readonly T[],
  n: number,
  failing: (part: readonly T[]) => boolean,
): { changes: T[]; n: number; done: boolean } {
  const { subsets, complements } = ddminCandidates(changes, n);
  const subset = subsets.find(failing);
  if (subset) return { changes: subset, n: 2, done: subset.length <= 1 };
  const complement = complements.find(failing);
  if (complement) return { changes: complement, n: Math.max(n - 1, 2), done: complement.length <= 1 };
  if (n >= changes.length) return { changes: [...changes], n, done: true };
  return { changes: [...changes], n: Math.min(changes.length, 2 * n), done: false };
}

/** The condition `axis=value` of a cell, as a label. */
export function conditionOf(cell: Cell, axis: AxisName): Condition {
  return { axis, op: '=', values: [cell[axis]], label: `${axis}=${cell[axis]}` };
}

/**
 * The axes no single move can change on `red`, and why: the run had one value of it, or a
 * constraint holds this client to one (a CLI cell's clock is always synced).
 */
export function unmovedAxes(
  red: Cell,
  values: AxisValues,
  flips: readonly Flip[] = planFlips(red, values),
): { axis: AxisName; why: string }[] {
  const moved = new Set(flips.map((flip) => flip.axis));
  return (AXIS_NAMES.slice(1) as Exclude<AxisName, 'profile'>[])
    .filter((axis) => !moved.has(axis))
    .map((axis) => {
      if (values[axis].length < 2) return { axis, why: `the run had only ${red[axis]}` };
      const holding = CONSTRAINTS.find((constraint) => constraint.axes.includes(axis) && constraint.axes.includes('profile'));
      return {
        axis,
        why: `a ${profileNamed(red.profile).kind} cell takes only ${red[axis]}${holding ? ` (constraint ${holding.id})` : ''}`,
      };
    });
}

/**
 * The red cell triage works from: the one that lets triage move the most axes, then the one
 * nearest the baseline (fewest moves to explain).
 */
export function pickRedCell(cells: readonly Cell[], values?: AxisValues): Cell | undefined {
  const distance = (cell: Cell) =>
    (AXIS_NAMES.slice(1) as Exclude<AxisName, 'profile'>[]).filter((axis) => cell[axis] !== BASELINE[axis]).length +
    (profileNamed(cell.profile).kind === 'web' && cell.profile !== baselineProfileOf('web') ? 1 : 0);
  const ranked = cells.map((cell) => ({
    cell,
    stuck: values ? unmovedAxes(cell, values).length : 0,
    distance: distance(cell),
    key: cellKey(cell),
  }));
  ranked.sort((a, b) => a.stuck - b.stuck || a.distance - b.distance || a.key.localeCompare(b.key));
  return ranked[0]?.cell;
}

/** `token_exchange_failed (upstream-email-verification) needs emailProvider=outlook — independent of …`. */
export function renderVerdict(verdict: TriageVerdict): string {
  const runs = `${verdict.reruns} re-runs, ${verdict.seconds} s`;
  if (verdict.outcome === 'intermittent')
    return `${verdict.signature} is intermittent: ${verdict.note ?? `${verdict.cell} did not fail again when re-run`} (${runs})`;
  if (verdict.outcome === 'stopped') return `${verdict.signature}: triage stopped: ${verdict.note ?? ''} (${runs})`;
  if (verdict.outcome === 'combination' && verdict.together?.length) {
    const all = [...verdict.needs, ...verdict.together].map((condition) => condition.label).join(' and ');
    return `${verdict.signature} needs ${all} — single moves did not settle it; delta debugging found these with every other axis at its baseline (${runs})`;
  }
  const needs = verdict.needs.length
    ? `needs ${verdict.needs.map((condition) => condition.label).join(' and ')}`
    : 'needs nothing any single move removes';
  const independent = verdict.independentOf.length ? ` — independent of ${verdict.independentOf.join(', ')}` : '';
  const unmoved = verdict.unmoved?.length
    ? ` — not moved, so not judged: ${verdict.unmoved.map(({ axis, why }) => `${axis} (${why})`).join(', ')}`
    : '';
  const combination =
    verdict.outcome === 'combination'
      ? `; with every other axis at its baseline it passed: the failure needs a combination of conditions ${verdict.note ?? 'single moves do not show'}`
      : '';
  return `${verdict.signature} ${needs}${independent}${unmoved}${combination} (${runs})`;
}
