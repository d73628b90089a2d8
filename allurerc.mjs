// Allure 3 report configuration: `npm run report` (scripts/report.ts) generates from it.
import { defineConfig } from 'allure';

export default defineConfig({
  name: 'authmatrix: sign-in regression matrix',
  output: './allure-report',
  // One line per generated report; trends and per-test history come from this file.
  historyPath: './allure-history/history.jsonl',
  historyLimit: 30,
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
