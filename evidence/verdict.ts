/**
 * The vocabulary of a failed sign-in's verdict: its categories (each with what it means and how
 * the Allure report files it), the verdict itself (category, cause, summary) as data, the one
 * error base that carries a verdict, and how a verdict travels on a test result. Which verdict a
 * failure gets is decided in one place, `classify` (evidence/classify.ts); this module only names.
 *
 * Adding a category is one entry in CATEGORIES: the types, the Allure categories (allurerc.mjs
 * builds its rules from this table) and the reporters follow from it.
 */

export interface CategorySpec {
  /** What a failure in this category means, for the report's reader. */
  means: string;
  /** The category's name in the Allure report, when it is not the category itself. */
  allureName?: string;
  /** Whether the report groups this category's failures by cause. */
  byCause: boolean;
}

export const CATEGORIES = {
  token_exchange_failed: {
    means: 'the target failed or refused the exchange of the authorization code for tokens, or the client refused the tokens',
    byCause: true,
  },
  rate_limited: { means: 'the target refused for too many attempts (HTTP 429 or its own wording)', byCause: false },
  'security-regression': {
    means: 'the sign-in succeeded without a step the account requires (an enrolled second factor never asked for)',
    byCause: true,
  },
  'login-step-failed': { means: 'a screen before the token exchange refused or did not move on', byCause: true },
  'target-unreachable': { means: 'the target (or a proxy on the way) could not be reached', byCause: false },
  'test-defect': {
    means: "the suite's own code, settings or time ran out, with nothing from the target to blame",
    allureName: 'test-defect (the suite, not the target)',
    byCause: true,
  },
} as const satisfies Record<string, CategorySpec>;

export type Category = keyof typeof CATEGORIES;
export const CATEGORY_NAMES = Object.keys(CATEGORIES) as Category[];

export interface Classification {
  category: Category;
  cause?: string;
  /** One sentence a reader can act on. */
  summary: string;
}

/** `token_exchange_failed (code-not-replicated)`; a failure's first line starts with this. */
export function classificationLabel(classification: Pick<Classification, 'category' | 'cause'>): string {
  return classification.cause ? `${classification.category} (${classification.cause})` : classification.category;
}

/** The first line of a failure: its label and summary. */
export function verdictLine(classification: Classification): string {
  return `${classificationLabel(classification)}: ${classification.summary}`;
}

/**
 * The one base of every error the suite raises knowing what it means (a screen that refused, no
 * account free to lease, the target unreachable): its verdict travels as data. Its name is the
 * verdict's label and its message the summary, so wherever it is printed as "name: message"
 * (Playwright's reporters, a stack trace, `String(error)`) its first line is the verdict, never
 * the error's class.
 */
export class AuthmatrixError extends Error {
  readonly classification: Classification;

  constructor(classification: Classification, options?: { cause?: unknown; detail?: string; below?: (...args: never[]) => unknown }) {
    super(options?.detail ? `${classification.summary}\n\n${options.detail}` : classification.summary, options);
    this.name = classificationLabel(classification);
    this.classification = classification;
    // Frames from `below` up are left out, so a report points at the caller (a spec's expect).
    if (options?.below) Error.captureStackTrace(this, options.below);
    const stack = this.stack ?? '';
    const frames = stack.indexOf('\n    at ');
    this.stack = `${this.name}: ${this.message}${frames >= 0 ? stack.slice(frames) : ''}`;
  }

  /**
   * `original`, explained: an error whose first line is `classification`, with the original's
   * words after it and its stack frames (so a report still points at where it happened). An
   * AuthmatrixError that already carries this verdict is its own explanation.
   */
  static explaining(classification: Classification, original: unknown): AuthmatrixError {
    if (original instanceof AuthmatrixError && original.classification === classification) return original;
    const words = original instanceof Error ? original.message : String(original);
    const error = new AuthmatrixError(classification, { cause: original, detail: words });
    const stack = original instanceof Error ? (original.stack ?? '') : '';
    const frames = stack.indexOf('\n    at ');
    if (frames >= 0) error.stack = `${error.name}: ${error.message}${stack.slice(frames)}`;
    return error;
  }
}

/**
 * The test-result annotation that carries a failure's verdict to reporters: its description is
 * the verdict as JSON. Reporters read this, never the failure message.
 */
export const CLASSIFICATION_ANNOTATION = 'authmatrix.classification';

/** The Allure labels a classified result carries; the report's categories match on them (allurerc.mjs). */
export const ALLURE_CATEGORY_LABEL = 'authmatrix.category';
export const ALLURE_CAUSE_LABEL = 'authmatrix.cause';

interface Annotated {
  annotations: { type: string; description?: string | undefined }[];
}

/** Records `classification` on a test result (replacing an earlier one of the same attempt). */
export function recordClassification(result: Annotated, classification: Classification): void {
  const index = result.annotations.findIndex((annotation) => annotation.type === CLASSIFICATION_ANNOTATION);
  if (index >= 0) result.annotations.splice(index, 1);
  result.annotations.push({ type: CLASSIFICATION_ANNOTATION, description: JSON.stringify(classification) });
}

/** The classification a test result carries, if any. */
export function classificationOf(result: {
  annotations: readonly { type: string; description?: string | undefined }[];
}): Classification | undefined {
  const description = result.annotations.find((annotation) => annotation.type === CLASSIFICATION_ANNOTATION)?.description;
  return description === undefined ? undefined : (JSON.parse(description) as Classification);
}
