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
  return 'text' in reader ? page.getByText(reader.text) : page.getByRole(reader.role, { name: reader.name });
}

/** How long reading an element just counted may take (it is there: this only bounds a page that navigates away meanwhile). */
const PRESENT_READ_TIMEOUT_MS = 1_000;

/** The value a reader points at: the element's text, or the first group of its regex. */
export async function readValue(page: Page, reader: Reader): Promise<string | undefined> {
  // No wait: an element that is not there reads as undefined. Both calls run in Playwright's own
  // script world; reading all matches (allTextContents) would load its script into the page's world too.
  const element = readerLocator(page, reader).first();
  const text = (await element.count())
    ? ((await element.textContent({ timeout: PRESENT_READ_TIMEOUT_MS }).catch(() => null)) ?? '').trim()
    : '';
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
