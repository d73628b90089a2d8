import type { Locator } from '@playwright/test';

/**
 * How a field is typed into: `fill` sets the value as a paste does and fires the input events a
 * controlled form (React, Vue, Angular) listens for; `keys` types key by key, for a page that
 * reacts to key events. Both are Playwright actions, with their actionability checks. A secret's
 * value shows in the action's own step title, which the worker's redactor removes before the
 * runner records it (evidence/secrets.ts); the step around it is titled without it.
 */
export type Typing = 'fill' | 'keys';

export async function typeInto(field: Locator, value: string, typing: Typing = 'fill'): Promise<void> {
  if (typing === 'keys') {
    await field.clear();
    await field.pressSequentially(value);
    return;
  }
  await field.fill(value);
}
