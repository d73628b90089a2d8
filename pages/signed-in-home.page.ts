import type { Locator, Page } from '@playwright/test';
import type { UiLabels } from './labels.ts';

/** The web app's signed-in home: the account's email and its plan badge. */
export class SignedInHomePage {
  readonly heading: Locator;
  readonly accountEmail: Locator;
  readonly plan: Locator;

  constructor(page: Page, labels: UiLabels) {
    this.heading = page.getByRole('heading', { name: labels.signedInHeading });
    this.accountEmail = page.getByRole('status', { name: labels.accountEmail });
    this.plan = page.getByRole('status', { name: labels.plan });
  }
}
