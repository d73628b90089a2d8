/** Playwright config of the benchmark's bare login: the suite's browser choice, nothing else. */
import { defineConfig } from '@playwright/test';
import { resolveBrowser } from '../browsers/browser.ts';

const browser = resolveBrowser({ browserExecutable: process.env.BROWSER_EXECUTABLE });

export default defineConfig({
  testDir: '.',
  testMatch: 'bare-login.spec.ts',
  outputDir: '../test-results/bench-bare',
  reporter: [['json', { outputFile: '../reports/bench-bare.json' }]],
  use: {
    trace: 'off',
    ...(browser.kind === 'system' ? { launchOptions: { executablePath: browser.executablePath, args: browser.args } } : {}),
  },
});
