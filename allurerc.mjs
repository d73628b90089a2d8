// Allure 3 report configuration: `npm run report` (scripts/report.ts) generates from it. Allure 3
// reads defect categories from here, not from categories.json. The categories follow the
// classifier (reporters/classify.ts): a failure message starts with `category (cause):`.
import { defineConfig } from 'allure';

const TOKEN_EXCHANGE_CAUSES = [
  'code-not-replicated',
  'code-expired',
  'clock-skew',
  'upstream-email-verification',
  'risk-policy',
  'claims-error',
  'edge',
  'cookie-state',
  'unknown',
];

const failed = ['failed', 'broken'];

export const categoryRules = [
  ...TOKEN_EXCHANGE_CAUSES.map((cause) => ({
    name: `token_exchange_failed · ${cause}`,
    matchers: { statuses: failed, message: new RegExp(`^(Error: )?token_exchange_failed \\(${cause}\\)`) },
  })),
  { name: 'rate_limited', matchers: { statuses: failed, message: /^(Error: )?rate_limited/ } },
  { name: 'login-step-failed', matchers: { statuses: failed, message: /^(Error: )?login-step-failed/ }, groupByMessage: true },
  { name: 'target-unreachable', matchers: { statuses: failed, message: /^(Error: )?target-unreachable/ } },
  {
    name: 'test-defect (the suite, not the target)',
    matchers: { statuses: failed, message: /^(Error: )?test-defect/ },
    groupByMessage: true,
  },
  { name: 'intermittent regression (passed on retry)', matchers: { flaky: true } },
];

export default defineConfig({
  name: 'authmatrix: sign-in regression matrix',
  output: './allure-report',
  // One line per generated report; trends and per-test history come from this file.
  historyPath: './allure-history/history.jsonl',
  historyLimit: 30,
  categories: { rules: categoryRules },
  // The matrix heat map written by reporters/matrix-reporter.ts.
  globalAttachments: ['reports/matrix-heatmap.html'],
  plugins: {
    awesome: {
      options: {
        reportName: 'authmatrix: sign-in regression matrix',
        singleFile: false,
        reportLanguage: 'en',
        groupBy: ['epic', 'feature', 'story'],
      },
    },
  },
});
