import { describeInAllure } from '../fixtures/allure-metadata.ts';
import { loadSettings } from '../fixtures/settings.ts';
import { cellOptions, expect, shownAccount, test } from '../fixtures/test.ts';
import { AXIS_NAMES } from '../matrix/axes.ts';
import { accountType, cellsFor, cellTitle } from '../matrix/cells.ts';

const settings = loadSettings();
const cells = cellsFor(
  settings.matrix,
  settings.networkPaths.map((path) => path.name),
  settings.target.kind === 'lab',
);

test.describe('sign-in matrix', () => {
  for (const cell of cells) {
    const title = cellTitle(cell);

    test.describe(() => {
      test.use({ ...cellOptions(cell), cellParameters: { ...cell } });

      test(title, { tag: [`@${cell.profile}`, `@${settings.matrix}`] }, async ({ account, signIn, target }, testInfo) => {
        await describeInAllure({
          epic: 'Sign-in',
          feature: `Matrix: ${settings.matrix} tier`,
          story: `${cell.profile} · ${accountType(cell)}`,
          severity: 'critical',
          parameters: {
            profile: cell.profile,
            engine: String(testInfo.project.metadata.engine),
            ...Object.fromEntries(AXIS_NAMES.slice(1).map((axis) => [axis, cell[axis]])),
          },
        });

        const outcome = await signIn(account);

        expect(outcome).toBeSignedIn(shownAccount(target.profile, account));
      });
    });
  }
});
