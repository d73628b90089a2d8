/** Playwright config of the benchmark's bare login: the suite's browser choice, nothing else. */
import { defineConfig } from '@playwright/test';
import { headedRun, launchOptionsFor, resolveBrowser } from '../browsers/browser.ts';

const browser = resolveBrowser({ browserExecutable: process.env.BROWSER_EXECUTABLE, headed: headedRun() });

export default defineConfig({
  testDir: '.',
  testMatch: 'bare-login.spec.ts',
  outputDir: '../test-results/bench-bare',
  // The suite's phase reporter (AUTHMATRIX_PHASES) splits each test's time as it does the suite's.
  reporter: process.env.AUTHMATRIX_PHASES
    ? [['../reporters/phase-reporter.ts', { outputFile: process.env.AUTHMATRIX_PHASES }]]
    : [['line']],
  use: {
    trace: 'off',
    launchOptions: launchOptionsFor(browser),
  },
});
