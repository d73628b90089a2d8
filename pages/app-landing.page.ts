import { expect, type Locator, type Page } from '@playwright/test';
import { journeyStep } from './timeline.ts';
import type { UiLabels } from './labels.ts';

/** The web app before sign-in: the page a user opens to log in. */
export class AppLandingPage {
  readonly loginButton: Locator;

  constructor(
    private readonly page: Page,
    private readonly appUrl: string,
    labels: UiLabels,
  ) {
    this.loginButton = page.getByRole('button', { name: labels.startLogin });
  }

  async open(): Promise<void> {
    await journeyStep('Open the app', async () => {
      await this.page.goto(this.appUrl);
      await expect(this.loginButton).toBeVisible();
    });
  }

  async startLogin(): Promise<void> {
    await journeyStep('Start signing in', async () => {
      await this.loginButton.click();
    });
  }
}
