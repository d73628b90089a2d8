import { expect, type Locator, type Page } from '@playwright/test';
import { journeyStep } from './timeline.ts';
import type { UiLabels } from './labels.ts';
import { fillSecret } from './secret-input.ts';

/** The password screen. */
export class PasswordPage {
  readonly passwordField: Locator;
  readonly continueButton: Locator;

  constructor(page: Page, labels: UiLabels) {
    this.passwordField = page.getByLabel(labels.passwordField);
    this.continueButton = page.getByRole('button', { name: labels.submit });
  }

  async submitPassword(password: string): Promise<void> {
    await journeyStep('Enter the password', async () => {
      await expect(this.passwordField).toBeEditable();
      await fillSecret(this.passwordField, password);
      await this.continueButton.click();
    });
  }
}
