import type { Locator, Page } from '@playwright/test';
import type { TargetProfile } from '../targets/profile.ts';
import { buttonLocator, fieldLocator } from './locate.ts';
import { journeyStep } from '../evidence/timeline.ts';
import { typeInto, type Typing } from './typing.ts';

/** The password screen (or the password field of an identifier screen that asks for both). */
export class PasswordPage {
  readonly passwordField: Locator;
  readonly continueButton: Locator;

  constructor(
    page: Page,
    screen: TargetProfile['screens']['password'],
    private readonly typing: Typing = 'fill',
  ) {
    this.passwordField = fieldLocator(page, screen.field);
    this.continueButton = buttonLocator(page, screen.submit);
  }

  async isShown(): Promise<boolean> {
    return this.passwordField.isVisible();
  }

  async submitPassword(password: string): Promise<void> {
    await journeyStep('Enter the password', async () => {
      // Typing waits for the field to be editable.
      await typeInto(this.passwordField, password, this.typing);
      await this.continueButton.click();
    });
  }
}
