import { describeInAllure } from '../reporters/allure-metadata.ts';
import { loadSettings, matrixScope } from '../settings/settings.ts';
import { cellOptions, expect, shownAccount, test } from '../fixtures/test.ts';
import { AXIS_NAMES, accountTypeLabel } from '../matrix/axes.ts';
import { cellAnnotation, cellsFor, cellTitle, type Cell } from '../matrix/cells.ts';

const settings = loadSettings();
const scope = matrixScope(settings);
const cells = cellsFor(settings.matrix, scope.networkPaths, scope.labEntryPoints, scope.fixedAxes);

/**
 * A profile's cells run in batches of this many, one after another in one worker: no dispatch
 * round trip or worker restart between them (about 0.5 s a cell on two cores). Batches run in
 * parallel and are what shards split, so a large tier still spreads evenly.
 */
const CELLS_PER_BATCH = 5;

function batches(all: readonly Cell[]): Cell[][] {
  const byProfile = new Map<string, Cell[]>();
  for (const cell of all) byProfile.set(cell.profile, [...(byProfile.get(cell.profile) ?? []), cell]);
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

      for (const cell of batch) {
        const title = cellTitle(cell);

        test.describe(() => {
          test.use(cellOptions(cell));

          test(
            title,
            { tag: [`@${cell.profile}`, `@${settings.matrix}`], annotation: cellAnnotation(cell) },
            async ({ account, signIn, target }, testInfo) => {
              await describeInAllure({
                epic: 'Sign-in',
                feature: `Matrix: ${settings.matrix} tier`,
                story: `${cell.profile} · ${accountTypeLabel(cell)}`,
                severity: 'critical',
                parameters: {
                  profile: cell.profile,
                  engine: String(testInfo.project.metadata.engine),
                  ...Object.fromEntries(AXIS_NAMES.slice(1).map((axis) => [axis, cell[axis]])),
                },
              });

              const outcome = await signIn(account);

              expect(outcome).toBeSignedIn(shownAccount(target.profile, account));
            },
          );
        });
      }
    });
  }
});
