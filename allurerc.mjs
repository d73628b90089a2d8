// Allure 3 report configuration: `npm run report` (scripts/report.ts) generates from it. Allure 3
// reads defect categories from here, not from categories.json. A classified failure carries its
// category and cause as labels (evidence/classify.ts: ALLURE_CATEGORY_LABEL, ALLURE_CAUSE_LABEL);
// the categories match on those labels, never on message text.
import { defineConfig } from 'allure';

export const CATEGORY_LABEL = 'authmatrix.category';
export const CAUSE_LABEL = 'authmatrix.cause';

const failed = ['failed', 'broken'];
const category = (name) => ({ statuses: failed, labels: { [CATEGORY_LABEL]: new RegExp(`^${name}$`) } });

export const categoryRules = [
  { name: 'token_exchange_failed', matchers: category('token_exchange_failed'), groupBy: [{ label: CAUSE_LABEL }] },
  { name: 'rate_limited', matchers: category('rate_limited') },
  { name: 'login-step-failed', matchers: category('login-step-failed'), groupBy: [{ label: CAUSE_LABEL }] },
  { name: 'target-unreachable', matchers: category('target-unreachable') },
  { name: 'test-defect (the suite, not the target)', matchers: category('test-defect'), groupBy: [{ label: CAUSE_LABEL }] },
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
