import type { Locator, Page } from '@playwright/test';
import type { SecondFactorChannel } from '../matrix/axes.ts';
import type { TargetProfile } from '../targets/profile.ts';
import { buttonLocator, fieldLocator } from './locate.ts';
import { journeyStep } from '../evidence/timeline.ts';
import { typeInto, type Typing } from './typing.ts';

/** The second-factor screen: a one-time code from an authenticator app, a text message or an email. */
export class SecondFactorPage {
  readonly codeField: Locator;
  readonly continueButton: Locator;

  constructor(
    page: Page,
    screen: NonNullable<TargetProfile['screens']['secondFactor']>,
    private readonly typing: Typing = 'fill',
  ) {
    this.codeField = fieldLocator(page, screen.field);
    this.continueButton = buttonLocator(page, screen.submit);
  }

  async isShown(): Promise<boolean> {
    return this.codeField.isVisible();
  }

  /**
   * Called once the screen is up (the journey recognised it), so that the SMS or email code `code`
   * returns is the one this screen sent. Typing waits for the field to be editable.
   */
  async submitCode(channel: SecondFactorChannel, code: () => Promise<string>): Promise<void> {
    await journeyStep(`Enter the verification code (${channel})`, async () => {
      await typeInto(this.codeField, await code(), this.typing);
      await this.continueButton.click();
    });
  }
}
