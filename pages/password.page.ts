import { expect, type Locator, type Page } from '@playwright/test';
import type { TargetProfile } from '../targets/profile.ts';
import { buttonLocator, fieldLocator } from './locate.ts';
import { fillSecret } from './secret-input.ts';
import { journeyStep } from './timeline.ts';

/** The password screen. */
export class PasswordPage {
  readonly passwordField: Locator;
  readonly continueButton: Locator;

  constructor(page: Page, screen: TargetProfile['screens']['password']) {
    this.passwordField = fieldLocator(page, screen.field);
    this.continueButton = buttonLocator(page, screen.submit);
  }

  async submitPassword(password: string): Promise<void> {
    await journeyStep('Enter the password', async () => {
      await expect(this.passwordField).toBeEditable();
      await fillSecret(this.passwordField, password);
      await this.continueButton.click();
    });
  }
}
