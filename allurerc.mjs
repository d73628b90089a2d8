// Allure 3 report configuration: `npm run report` (scripts/report.ts) generates from it. Allure 3
// reads defect categories from here, not from categories.json. A classified failure carries its
// category and cause as labels; the categories are built from the suite's one table of them
// (evidence/verdict.ts) and match on those labels, never on message text.
import { defineConfig } from 'allure';
import { ALLURE_CATEGORY_LABEL, ALLURE_CAUSE_LABEL, CATEGORIES } from './evidence/verdict.ts';

export const CATEGORY_LABEL = ALLURE_CATEGORY_LABEL;
export const CAUSE_LABEL = ALLURE_CAUSE_LABEL;

const failed = ['failed', 'broken'];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const categoryRules = [
  ...Object.entries(CATEGORIES).map(([category, spec]) => ({
    name: spec.allureName ?? category,
    matchers: { statuses: failed, labels: { [CATEGORY_LABEL]: new RegExp(`^${escape(category)}$`) } },
    ...(spec.byCause ? { groupBy: [{ label: CAUSE_LABEL }] } : {}),
  })),
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
