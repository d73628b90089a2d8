import { expect, type Locator, type Page } from '@playwright/test';
import { journeyStep } from './timeline.ts';
import type { UiLabels } from './labels.ts';

/** The identity provider's first screen: the email address. */
export class EmailPage {
  readonly emailField: Locator;
  readonly continueButton: Locator;

  constructor(page: Page, labels: UiLabels) {
    this.emailField = page.getByLabel(labels.emailField);
    this.continueButton = page.getByRole('button', { name: labels.submit });
  }

  async waitUntilShown(): Promise<void> {
    await expect(this.emailField).toBeEditable();
  }

  async submitEmail(email: string): Promise<void> {
    await journeyStep('Enter the email address', async () => {
      await this.waitUntilShown();
      await this.emailField.fill(email);
      await this.continueButton.click();
    });
  }
}
