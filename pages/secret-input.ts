import type { Locator } from '@playwright/test';

/**
 * Types a secret (password, one-time code) into a field without it showing up in step titles:
 * Playwright titles `fill` and `insertText` steps with the text itself ("Fill \"hunter2\""), and
 * those titles reach the HTML and Allure reports. An evaluate step is titled "Evaluate" alone.
 */
export async function fillSecret(field: Locator, secret: string): Promise<void> {
  await field.evaluate((element, value) => {
    const input = element as HTMLInputElement;
    input.focus();
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, secret);
}
