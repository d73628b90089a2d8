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

// Allure groups a category's failures by message below its groupBy levels unless told not to
// (groupByMessage defaults to true in @allurereport/core-api's normalizeCategoriesConfig). Every
// message quotes a request_id and an account, so that level makes one group per failure: the
// tree is category → cause → the cells, each level with its count.
export const categoryRules = [
  ...Object.entries(CATEGORIES).map(([category, spec]) => ({
    name: spec.allureName ?? category,
    matchers: { statuses: failed, labels: { [CATEGORY_LABEL]: new RegExp(`^${escape(category)}$`) } },
    ...(spec.byCause ? { groupBy: [{ label: CAUSE_LABEL }] } : {}),
    groupByMessage: false,
    // Open on the causes: what broke and for whom, without a click.
    expand: true,
  })),
  { name: 'intermittent regression (passed on retry)', matchers: { flaky: true }, groupByMessage: false },
];

// AUTHMATRIX_SINGLE_FILE (set by scripts/report.ts): the same report as one HTML file that opens
// from disk. It reads the history and adds nothing to it: the multi-file report of the same
// results adds the run's one entry.
const singleFile = Boolean(process.env.AUTHMATRIX_SINGLE_FILE);

export default defineConfig({
  name: 'authmatrix: sign-in regression matrix',
  output: process.env.AUTHMATRIX_REPORT_OUTPUT ?? './allure-report',
  // One line per run; trends and per-test history come from this file.
  historyPath: './allure-history/history.jsonl',
  historyLimit: 30,
  appendHistory: !singleFile,
  categories: { rules: categoryRules },
  // Labels of Allure's and Playwright's plumbing, left out of the test page so the cell's own
  // labels (its verdict and axes) come first.
  hideLabels: ['_fallbackTestCaseId', 'titlePath', 'language', 'framework', 'package'],
  // The matrix heat map written by reporters/matrix-reporter.ts, with triage's answers once
  // `npm run triage` has run.
  globalAttachments: ['reports/matrix-heatmap.html'],
  plugins: {
    awesome: {
      options: {
        reportName: 'authmatrix: sign-in regression matrix',
        singleFile,
        reportLanguage: 'en',
        groupBy: ['epic', 'feature', 'story'],
      },
    },
  },
});
