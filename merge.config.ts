/**
 * `npx playwright merge-reports --config merge.config.ts <blob dirs>`: merges sharded runs into one
 * HTML report and one matrix summary (reports/matrix-summary.{md,json}, heat map). The tier, target
 * and faults come from the blob reports (the runs' config metadata), not from this machine.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  reporter: [
    ['html', { open: 'never', outputFolder: 'playwright-report' }],
    [
      './reporters/matrix-reporter.ts',
      {
        // The shards' own environment files travel with their allure-results.
        allureResultsDir: 'reports/merged-environment',
      },
    ],
  ],
});
