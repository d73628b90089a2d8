import { expect, type Locator, type Page } from '@playwright/test';
import type { TargetProfile } from '../targets/profile.ts';
import { buttonLocator, fieldLocator } from './locate.ts';
import { journeyStep } from './timeline.ts';

/** The identity provider's first screen: the email address (and, on some providers, the password too). */
export class EmailPage {
  readonly emailField: Locator;
  /** Undefined when the password is asked for on the same screen. */
  readonly continueButton: Locator | undefined;

  constructor(page: Page, screen: TargetProfile['screens']['email']) {
    this.emailField = fieldLocator(page, screen.field);
    this.continueButton = screen.submit === undefined ? undefined : buttonLocator(page, screen.submit);
  }

  async waitUntilShown(): Promise<void> {
    await expect(this.emailField).toBeEditable();
  }

  async submitEmail(email: string): Promise<void> {
    await journeyStep('Enter the email address', async () => {
      // fill waits for the field to be editable.
      await this.emailField.fill(email);
      await this.continueButton?.click();
    });
  }
}
