import { expect, type Locator, type Page } from '@playwright/test';
import type { TargetProfile } from '../targets/profile.ts';
import { buttonLocator, fieldLocator } from './locate.ts';
import { journeyStep } from '../evidence/timeline.ts';
import { typeInto, type Typing } from './typing.ts';

/** The identity provider's first screen: the email address (and, on some providers, the password too). */
export class EmailPage {
  readonly emailField: Locator;
  /** Undefined when the password is asked for on the same screen. */
  readonly continueButton: Locator | undefined;

  constructor(
    page: Page,
    screen: TargetProfile['screens']['email'],
    private readonly typing: Typing = 'fill',
  ) {
    this.emailField = fieldLocator(page, screen.field);
    this.continueButton = screen.submit === undefined ? undefined : buttonLocator(page, screen.submit);
  }

  /** The identifier field is on the page and can be typed into. */
  async isShown(): Promise<boolean> {
    return (await this.emailField.isVisible()) && (await this.emailField.isEditable());
  }

  async waitUntilShown(): Promise<void> {
    await expect(this.emailField).toBeEditable();
  }

  /** Types the identifier (an email address, or a user name) and, where the screen has its own button, submits it. */
  async submitEmail(identifier: string, title = 'Enter the email address'): Promise<void> {
    await journeyStep(title, async () => {
      // Typing waits for the field to be editable.
      await typeInto(this.emailField, identifier, this.typing);
      await this.continueButton?.click();
    });
  }
}
