/**
 * Locators built from a target profile's descriptions: fields by label, placeholder or role and
 * name; buttons by accessible name; visible markers; values read off the page.
 */
import type { Locator, Page } from '@playwright/test';
import type { FieldRef, Reader, TextMatch, Visible } from '../targets/profile.ts';

export function fieldLocator(page: Page, ref: FieldRef): Locator {
  if ('label' in ref) return page.getByLabel(ref.label);
  if ('placeholder' in ref) return page.getByPlaceholder(ref.placeholder);
  return page.getByRole(ref.role, { name: ref.name });
}

export function buttonLocator(page: Page, name: TextMatch): Locator {
  return page.getByRole('button', { name });
}

export function visibleLocator(page: Page, visible: Visible): Locator {
  return 'heading' in visible ? page.getByRole('heading', { name: visible.heading }) : page.getByText(visible.text);
}

export function readerLocator(page: Page, reader: Reader): Locator {
  if ('text' in reader) return page.getByText(reader.text);
  return reader.name === undefined ? page.getByRole(reader.role) : page.getByRole(reader.role, { name: reader.name });
}

/** How long reading an element just counted may take (it is there: this only bounds a page that navigates away meanwhile). */
const PRESENT_READ_TIMEOUT_MS = 1_000;

/**
 * The first match's text, trimmed, or undefined when nothing matches (no wait). Both calls run in
 * Playwright's own script world: reading all matches (allTextContents) would load its script into
 * the page's own world too, on every document read.
 */
export async function firstText(locator: Locator): Promise<string | undefined> {
  if (!(await locator.count().catch(() => 0))) return undefined;
  const text = await locator
    .first()
    .textContent({ timeout: PRESENT_READ_TIMEOUT_MS })
    .catch(() => null);
  return text?.trim() || undefined;
}

/**
 * A question asked now whose answer is read later, in the order the caller reads its answers: a
 * failure counts only if its answer is read (asked in turn, the question might not have been asked).
 */
export function askNow<T>(question: Promise<T>): () => Promise<T> {
  const settled = question.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return async () => {
    const answer = await settled;
    if ('error' in answer) throw answer.error;
    return answer.value;
  };
}

/** The value a reader points at: the element's text, or the first group of its regex. */
export async function readValue(page: Page, reader: Reader): Promise<string | undefined> {
  const text = (await firstText(readerLocator(page, reader))) ?? '';
  if (!('text' in reader)) return text || undefined;
  const match = reader.text.exec(text);
  return (match?.[1] ?? match?.[0])?.trim() || undefined;
}

/**
 * A state of the app the profile recognises by a URL pattern, a visible marker, or both (the
 * signed-in state, the error page).
 */
export class RecognisedState {
  /** What marks the state on the page, when the profile names one. */
  readonly marker: Locator | undefined;

  constructor(
    protected readonly page: Page,
    private readonly recognition: { url?: RegExp | undefined; visible?: Visible | undefined },
  ) {
    this.marker = recognition.visible ? visibleLocator(page, recognition.visible) : undefined;
  }

  /** Whether the state is known by its URL (the marker alone cannot tell). */
  get recognisedByUrl(): boolean {
    return this.recognition.url !== undefined;
  }

  async isShown(): Promise<boolean> {
    if (this.recognition.url && !this.recognition.url.test(this.page.url())) return false;
    return this.marker ? this.marker.isVisible() : true;
  }
}
