/**
 * Cells of the matrix and their tiers. A cell is one login: a client profile, an account type and
 * the conditions the user is in. Tiers: smoke (a handful chosen by hand), pairwise (every allowed
 * pair of values at least once) and full (every allowed triple at least once).
 */
import * as covertableModule from 'covertable';
import {
  AXIS_NAMES,
  accountTypeLabel,
  axes as buildAxes,
  type AccountSpec,
  type AxisName,
  type Axes,
  type ClockCondition,
  type CookieCondition,
  type FixedAxes,
} from './axes.ts';
import { CONSTRAINTS, satisfiesConstraints } from './constraints.ts';

/** One login of the matrix: a client profile, an account type, and the conditions the user is in. */
export interface Cell extends AccountSpec {
  profile: string;
  cookies: CookieCondition;
  clock: ClockCondition;
  /** `direct`, a lab entry point, or a name from NETWORK_PATHS. */
  network: string;
}

export const TIERS = ['smoke', 'pairwise', 'full'] as const;
export type Tier = (typeof TIERS)[number];

/**
 * The test annotation that carries a cell to reporters: its description is the cell as JSON.
 * Titles are for people; this is for code.
 */
export const CELL_ANNOTATION = 'authmatrix.cell';

export function cellAnnotation(cell: Cell): { type: string; description: string } {
  return { type: CELL_ANNOTATION, description: JSON.stringify(cell) };
}

/** The annotation that carries a listed cell's label (MATRIX_CELLS: triage's re-runs, the bench's repeats). */
export const LISTED_ANNOTATION = 'authmatrix.listed';

export function listedAnnotation(label: string): { type: string; description: string } {
  return { type: LISTED_ANNOTATION, description: label };
}

/** A listed cell's label, from its test's annotations; undefined for a cell of a tier. */
export function listedLabelOf(annotations: readonly { type: string; description?: string | undefined }[]): string | undefined {
  return annotations.find((annotation) => annotation.type === LISTED_ANNOTATION)?.description;
}

/** The cell a test stands for, from its annotations; undefined for a test that is not a cell. */
export function cellOf(annotations: readonly { type: string; description?: string | undefined }[]): Cell | undefined {
  const description = annotations.find((annotation) => annotation.type === CELL_ANNOTATION)?.description;
  return description === undefined ? undefined : (JSON.parse(description) as Cell);
}

/** The account axes of a cell. */
export function accountSpecOf(cell: Cell): AccountSpec {
  return { emailProvider: cell.emailProvider, phone: cell.phone, plan: cell.plan, mfa: cell.mfa, method: cell.method };
}

// covertable is a webpack-built CommonJS bundle: Node's ESM loader sees only its default export,
// while TypeScript-aware loaders (tsx, Playwright) also see the named ones. Take whichever holds `make`.
type Covertable = Pick<typeof covertableModule, 'make' | 'sorters' | 'criteria'>;
const covertable: Covertable =
  typeof (covertableModule as Partial<Covertable>).make === 'function'
    ? covertableModule
    : (covertableModule as unknown as { default: Covertable }).default;

/** Fixed seed: the same tier gives the same cells on every run and every machine. */
export const MATRIX_SEED = 'authmatrix-1';

/** `windows-chrome · outlook/none/plus/totp · stale-login · ahead-90s · edge-west` */
export function cellTitle(cell: Cell): string {
  return [cell.profile, accountTypeLabel(cell), cell.cookies, cell.clock, cell.network].join(' · ');
}

export function cellKey(cell: Cell): string {
  return AXIS_NAMES.map((axis) => cell[axis]).join('|');
}

/** The seed article's case: Windows web, an Outlook address, no phone. */
export const SEED_CASE: Cell = {
  profile: 'windows-chrome',
  emailProvider: 'outlook',
  phone: 'none',
  plan: 'plus',
  mfa: 'none',
  method: 'password',
  cookies: 'fresh',
  clock: 'synced',
  network: 'direct',
};

/** Chosen by hand: the seed case, its iOS-app twin, and one of each other kind. */
const SMOKE: readonly Cell[] = [
  SEED_CASE,
  { ...SEED_CASE, profile: 'ios-app' },
  {
    profile: 'android-chrome',
    emailProvider: 'gmail',
    phone: 'bound',
    plan: 'free',
    mfa: 'totp',
    method: 'password',
    cookies: 'returning',
    clock: 'ahead-90s',
    network: 'edge-east',
  },
  {
    profile: 'macos-safari',
    emailProvider: 'gmail',
    phone: 'none',
    plan: 'free',
    mfa: 'none',
    method: 'password',
    cookies: 'stale-login',
    clock: 'behind-90s',
    network: 'edge-west',
  },
  {
    profile: 'desktop-cli',
    emailProvider: 'outlook',
    phone: 'bound',
    plan: 'free',
    mfa: 'totp',
    method: 'password',
    cookies: 'fresh',
    clock: 'synced',
    network: 'corporate',
  },
  // "Continue with Microsoft" with the broker's own second factor after it, on a proxied path.
  {
    profile: 'windows-edge',
    emailProvider: 'outlook',
    phone: 'none',
    plan: 'free',
    mfa: 'totp',
    method: 'federated',
    cookies: 'fresh',
    clock: 'synced',
    network: 'edge-east',
  },
  // "Continue with Google" from the iOS app.
  {
    profile: 'ios-app',
    emailProvider: 'gmail',
    phone: 'bound',
    plan: 'plus',
    mfa: 'none',
    method: 'federated',
    cookies: 'fresh',
    clock: 'synced',
    network: 'direct',
  },
];

/**
 * Every constraint relates the profile to one other axis, so the profiles fall into groups that
 * allow the same values (web clients; native clients). Each group gets its own covering array
 * over the values it allows, and the union covers every allowed pair (or triple). Generating per
 * group, rather than filtering one array, keeps covertable from dropping rows at a dead end.
 */
function profileGroups(axes: Axes): Axes[] {
  const groups = new Map<string, Axes>();
  for (const profile of axes.profile) {
    const restricted = Object.fromEntries(
      AXIS_NAMES.map((axis) => [
        axis,
        axis === 'profile' ? [profile] : axes[axis].filter((value) => satisfiesConstraints({ profile, [axis]: value })),
      ]),
    ) as unknown as Axes;
    const key = AXIS_NAMES.filter((axis) => axis !== 'profile')
      .map((axis) => restricted[axis].join(','))
      .join('|');
    const group = groups.get(key);
    if (group) group.profile = [...group.profile, profile];
    else groups.set(key, restricted);
  }
  return [...groups.values()];
}

function covering(axes: Axes, strength: number): Cell[] {
  if (CONSTRAINTS.some((constraint) => constraint.axes[0] !== 'profile')) {
    throw new Error('matrix constraints must each relate the profile to one other axis; see matrix/constraints.ts');
  }
  return profileGroups(axes).flatMap((group) => {
    const factors = Object.fromEntries(AXIS_NAMES.map((axis) => [axis, [...group[axis]]]));
    const rows = covertable.make(factors, {
      length: Math.min(strength, AXIS_NAMES.filter((axis) => group[axis].length > 1).length),
      seed: MATRIX_SEED,
      sorter: covertable.sorters.hash,
      criterion: covertable.criteria.greedy,
    }) as Record<string, string>[];
    // Every value comes from the typed axes, so each row is a well-formed cell.
    return rows.map((row) => Object.fromEntries(AXIS_NAMES.map((axis) => [axis, row[axis]])) as unknown as Cell);
  });
}

export function cellsFor(tier: Tier, extraNetworkPaths: readonly string[] = [], labEntryPoints = true, fixed: FixedAxes = {}): Cell[] {
  const axes = buildAxes(extraNetworkPaths, labEntryPoints, fixed);
  if (tier === 'smoke') {
    // Away from the lab, a smoke cell on a lab entry point goes direct instead; a fixed account
    // axis takes its one value, and cells that become the same are run once.
    const seen = new Set<string>();
    // A hand-picked federated cell stands for federation: on a target without it, it is left out.
    const smoke = SMOKE.filter((cell) => fixed.method === undefined || cell.method === fixed.method)
      .map((cell) => ({
        ...cell,
        ...fixed,
        network: axes.network.includes(cell.network) ? cell.network : 'direct',
      }))
      .filter((cell) => !seen.has(cellKey(cell)) && Boolean(seen.add(cellKey(cell))));
    // User paths join smoke as one extra cell each, so a new proxy is tried even in the quickest run.
    return [...smoke, ...extraNetworkPaths.map((network) => ({ ...SEED_CASE, ...fixed, network }))];
  }
  return covering(axes, tier === 'pairwise' ? 2 : 3);
}

export interface PairCoverage {
  allowed: number;
  covered: number;
  missing: string[];
}

/** Every two different axes, each pair once. */
const AXIS_PAIRS: readonly (readonly [AxisName, AxisName])[] = AXIS_NAMES.flatMap((a, i) =>
  AXIS_NAMES.slice(i + 1).map((b) => [a, b] as const),
);

const pairKey = (a: AxisName, x: string, b: AxisName, y: string) => `${a}=${x} & ${b}=${y}`;

/** Every pair of values of two different axes that no constraint forbids, and how many the cells hold. */
export function pairCoverage(
  cells: readonly Cell[],
  extraNetworkPaths: readonly string[] = [],
  labEntryPoints = true,
  fixed: FixedAxes = {},
): PairCoverage {
  const axes = buildAxes(extraNetworkPaths, labEntryPoints, fixed);
  const seen = new Set(cells.flatMap((cell) => AXIS_PAIRS.map(([a, b]) => pairKey(a, cell[a], b, cell[b]))));
  let allowed = 0;
  const missing: string[] = [];
  for (const [a, b] of AXIS_PAIRS) {
    for (const x of axes[a]) {
      for (const y of axes[b]) {
        if (!satisfiesConstraints({ [a]: x, [b]: y })) continue;
        allowed += 1;
        if (!seen.has(pairKey(a, x, b, y))) missing.push(pairKey(a, x, b, y));
      }
    }
  }
  return { allowed, covered: allowed - missing.length, missing };
}

export { CONSTRAINTS };
