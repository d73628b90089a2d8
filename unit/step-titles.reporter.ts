/**
 * A reporter for the project's tests: prints every step title of every result, Playwright's own
 * action steps included (`Fill "…"`), one per line — what a report could show of a run.
 */
import type { Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';

export default class StepTitlesReporter implements Reporter {
  readonly #titles: string[] = [];

  printsToStdio(): boolean {
    return true;
  }

  onTestEnd(_test: TestCase, result: TestResult): void {
    const walk = (steps: readonly TestStep[]) => {
      for (const step of steps) {
        this.#titles.push(step.title);
        walk(step.steps);
      }
    };
    walk(result.steps);
  }

  onEnd(): void {
    process.stdout.write(`${this.#titles.join('\n')}\n`);
  }
}
