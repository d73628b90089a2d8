/**
 * allure-playwright's results arranged for the person reading a failure, just before each is
 * written (a `beforeTestResultWrite` listener, given to allure-playwright in playwright.config.ts):
 *
 * - the evidence comes first among the attachments, card before data, wherever Playwright put
 *   it: fixtures attach it while they tear down, which allure-playwright files under the last
 *   step, "After Hooks", after Playwright's own error-context prompt (the whole test source);
 * - the annotations that carry data to the suite's reporters (the cell as JSON) are not steps:
 *   allure-playwright makes a step of every annotation it has no use for, with no option to
 *   stop it (allure-framework/allure-js#1331);
 * - the verdict and the cell's axes are the first labels, the ones the test page shows at once.
 */
import type { Label, StepResult, TestResult } from 'allure-js-commons';
import { EVIDENCE_ATTACHMENTS } from '../evidence/attachments.ts';
import { ALLURE_CATEGORY_LABEL, ALLURE_CAUSE_LABEL, CLASSIFICATION_ANNOTATION } from '../evidence/verdict.ts';
import { AXIS_NAMES } from '../matrix/axes.ts';
import { CELL_ANNOTATION, LISTED_ANNOTATION } from '../matrix/cells.ts';

const DATA_ANNOTATIONS = [CELL_ANNOTATION, LISTED_ANNOTATION, CLASSIFICATION_ANNOTATION];
const FIRST_LABELS: readonly string[] = [ALLURE_CATEGORY_LABEL, ALLURE_CAUSE_LABEL, ...AXIS_NAMES, 'engine', 'client'];
const EVIDENCE: readonly string[] = EVIDENCE_ATTACHMENTS;

/** A step that is one evidence attachment and nothing else (how allure-playwright files `testInfo.attach`). */
function evidenceStep(step: StepResult): boolean {
  const [attachment, ...more] = step.attachments;
  return (
    step.steps.length === 0 &&
    more.length === 0 &&
    attachment !== undefined &&
    attachment.name === step.name &&
    EVIDENCE.includes(step.name ?? '')
  );
}

/** `steps` without their evidence attachments (collected into `taken`), and without steps those left empty. */
function withoutEvidence(steps: StepResult[], taken: StepResult[]): StepResult[] {
  return steps.flatMap((step) => {
    if (evidenceStep(step)) {
      taken.push(step);
      return [];
    }
    const before = step.steps.length;
    step.steps = withoutEvidence(step.steps, taken);
    const emptied = before > 0 && step.steps.length === 0 && step.attachments.length === 0;
    return emptied ? [] : [step];
  });
}

function labelRank(label: Label): number {
  const rank = FIRST_LABELS.indexOf(label.name);
  return rank === -1 ? FIRST_LABELS.length : rank;
}

export function arrangeForReaders(result: TestResult): void {
  result.steps = result.steps.filter((step) => !DATA_ANNOTATIONS.some((type) => step.name?.startsWith(`${type}: `)));
  const evidence: StepResult[] = [];
  result.steps = withoutEvidence(result.steps, evidence);
  evidence.sort((a, b) => EVIDENCE.indexOf(a.name ?? '') - EVIDENCE.indexOf(b.name ?? ''));
  result.steps = [...evidence, ...result.steps];
  // Array.prototype.sort is stable: labels of one rank keep their order.
  result.labels = [...result.labels].sort((a, b) => labelRank(a) - labelRank(b));
}

/** The listener playwright.config.ts hands allure-playwright (its `listeners` option). */
export const allureListeners = [{ beforeTestResultWrite: arrangeForReaders }];
