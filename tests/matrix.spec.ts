import { describeInAllure } from '../reporters/allure-metadata.ts';
import { loadSettings, matrixScope, type ListedCell } from '../settings/settings.ts';
import { cellOptions, expect, test } from '../fixtures/test.ts';
import { AXIS_NAMES, accountTypeLabel } from '../matrix/axes.ts';
import { cellAnnotation, cellsFor, cellTitle, listedAnnotation, type Cell } from '../matrix/cells.ts';
import { riskOrder } from '../matrix/order.ts';
import { recentRedCells } from '../reporters/cell-history.ts';

const settings = loadSettings();

/** The tier's cells in the run's order (MATRIX_ORDER): risk first, from the record of recent runs, or as the tier lists them. */
function ordered(tierCells: Cell[]): Cell[] {
  return settings.matrixOrder === 'risk' ? riskOrder(tierCells, recentRedCells()) : tierCells;
}
const scope = matrixScope(settings);
// MATRIX_CELLS (triage's re-runs) names the cells, each with a label that keeps repeated cells apart.
const cells: (Omit<ListedCell, 'label'> & { title: string; label?: string })[] =
  settings.matrixCells?.map((listed) => ({ ...listed, title: `${cellTitle(listed.cell)} [${listed.label}]` })) ??
  ordered(cellsFor(settings.matrix, scope.networkPaths, scope.labEntryPoints, scope.fixedAxes)).map((cell) => ({
    cell,
    title: cellTitle(cell),
  }));

/**
 * A profile's cells run in batches of this many, one after another in one worker: no dispatch
 * round trip or worker restart between them (about 0.5 s a cell on two cores). Batches run in
 * parallel and are what shards split, so a large tier still spreads evenly.
 */
const CELLS_PER_BATCH = settings.matrixCells ? 1 : 5; // a listed run's cells (triage's re-runs) each run apart, all in parallel

function batches<T extends { cell: Cell }>(all: readonly T[]): T[][] {
  const byProfile = new Map<string, T[]>();
  for (const entry of all) byProfile.set(entry.cell.profile, [...(byProfile.get(entry.cell.profile) ?? []), entry]);
  return [...byProfile.values()].flatMap((profileCells) =>
    Array.from({ length: Math.ceil(profileCells.length / CELLS_PER_BATCH) }, (_, index) =>
      profileCells.slice(index * CELLS_PER_BATCH, (index + 1) * CELLS_PER_BATCH),
    ),
  );
}

test.describe('sign-in matrix', () => {
  for (const batch of batches(cells)) {
    test.describe(() => {
      test.describe.configure({ mode: 'default' });

      for (const { cell, title, label, observe } of batch) {
        test.describe(() => {
          test.use(cellOptions(cell));

          test(
            title,
            {
              tag: [`@${cell.profile}`, `@${settings.matrix}`],
              annotation: [cellAnnotation(cell), ...(label === undefined ? [] : [listedAnnotation(label)])],
            },
            async ({ account, signIn, engineLabel, clientProfile }) => {
              const axisLabels: Record<string, string> = {
                ...Object.fromEntries(AXIS_NAMES.map((axis) => [axis, cell[axis]])),
                engine: engineLabel,
                client: clientProfile.kind,
              };
              await describeInAllure({
                epic: 'Sign-in',
                feature: `Matrix: ${settings.matrix} tier`,
                story: `${cell.profile} · ${accountTypeLabel(cell)}`,
                severity: 'critical',
                // Every axis a label of its own, so the report can group by any of them.
                labels: axisLabels,
                // The same as tags, `emailProvider=outlook`: the report's filter bar filters by tag.
                tags: Object.entries(axisLabels).map(([axis, value]) => `${axis}=${value}`),
                // The account type as one parameter keeps the cell's parameters within what the report shows at once.
                parameters: {
                  profile: cell.profile,
                  engine: engineLabel,
                  account: accountTypeLabel(cell),
                  cookies: cell.cookies,
                  clock: cell.clock,
                  network: cell.network,
                },
              });

              try {
                const outcome = await signIn(account);
                expect(outcome).toBeSignedIn();
              } catch (error) {
                // A triage re-run's red is an answer: an expected failure, so Playwright keeps its worker and browser.
                test.fail(observe === true, 'a triage re-run: red is one of its answers');
                throw error;
              }
            },
          );
        });
      }
    });
  }
});
