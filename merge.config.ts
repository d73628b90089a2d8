/**
 * `npx playwright merge-reports --config merge.config.ts <blob dirs>`: merges sharded runs into one
 * HTML report and one matrix summary (reports/matrix-summary.{md,json}, heat map).
 */
import { defineConfig } from '@playwright/test';
import { loadSettingsOrExit, matrixScope } from './settings/settings.ts';

const settings = loadSettingsOrExit();

export default defineConfig({
  testDir: './tests',
  reporter: [
    ['html', { open: 'never', outputFolder: 'playwright-report' }],
    [
      './reporters/matrix-reporter.ts',
      {
        tier: settings.matrix,
        target: settings.target.kind === 'lab' ? 'lab' : settings.target.name,
        faults: settings.target.kind === 'lab' ? settings.labFaults : [],
        fixedAxes: matrixScope(settings).fixedAxes,
        // The shards' own environment files travel with their allure-results.
        allureResultsDir: 'reports/merged-environment',
      },
    ],
  ],
});
