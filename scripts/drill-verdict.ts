/**
 * The drill's judgement of one run: which cells went red, whether they are the cells the fault
 * should hurt, and whether each was classified as the fault's cause. Pure.
 */
import { classificationLabel, type Classification } from '../evidence/classify.ts';
import type { Cell } from '../matrix/cells.ts';
import type { FaultId } from '../lab/faults.ts';
import type { FaultExpectation } from './drill-expectations.ts';

export interface DrillCell {
  title: string;
  axes: Cell;
  status: string;
  classification?: Classification | undefined;
}

export interface FaultVerdict {
  fault: FaultId;
  detected: boolean;
  red: { title: string; label: string; expected: boolean; causeRight: boolean }[];
  expectedRed: number;
  missed: string[];
  falsePositives: string[];
  misnamed: string[];
  passed: boolean;
  /** Why the fault's run could not be judged (it ended before writing a summary). */
  notJudged?: string;
}

/** The verdict on a fault whose run left nothing to judge: never passed, and says why. */
export function notJudged(fault: FaultId, why: string): FaultVerdict {
  return { fault, detected: false, red: [], expectedRed: 0, missed: [], falsePositives: [], misnamed: [], passed: false, notJudged: why };
}

export function judge(fault: FaultId, cells: DrillCell[], expectation: FaultExpectation): FaultVerdict {
  const isRed = (cell: DrillCell) => cell.status === 'failed' || cell.status === 'intermittent';
  const red = cells.filter(isRed).map((cell) => {
    const classification = cell.classification;
    const label = classification ? classificationLabel(classification) : 'unclassified';
    return {
      title: cell.title,
      label,
      expected: expectation.hurts(cell.axes),
      causeRight:
        classification?.category === expectation.category &&
        (expectation.cause === undefined || classification.cause === expectation.cause),
    };
  });
  const expected = cells.filter((cell) => expectation.hurts(cell.axes));
  const missed = expectation.anyCellMayBeHurt ? [] : expected.filter((cell) => !isRed(cell)).map((cell) => cell.title);
  const falsePositives = red.filter((cell) => !cell.expected).map((cell) => cell.title);
  const misnamed = red.filter((cell) => !cell.causeRight).map((cell) => `${cell.title}: ${cell.label}`);
  const detected = red.length > 0;
  return {
    fault,
    detected,
    red,
    expectedRed: expectation.anyCellMayBeHurt ? red.length : expected.length,
    missed,
    falsePositives,
    misnamed,
    passed: detected && missed.length === 0 && falsePositives.length === 0 && misnamed.length === 0,
  };
}
