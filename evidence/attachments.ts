/**
 * The names of a failed test's evidence attachments, in the order a reader wants them: the Allure
 * results are arranged in this order (reporters/allure-results.ts), whatever order Playwright and
 * its fixtures attached them in.
 */
export const EVIDENCE_CARD = 'evidence card';
export const EVIDENCE_JSON = 'token-exchange evidence';
export const LAB_LOG_LINES = 'lab log lines';
export const FAILURE_SCREENSHOT = 'screenshot at failure';

export const EVIDENCE_ATTACHMENTS = [EVIDENCE_CARD, EVIDENCE_JSON, LAB_LOG_LINES, FAILURE_SCREENSHOT] as const;
