import type { Locator, Page } from '@playwright/test';
import type { TargetProfile } from '../targets/profile.ts';
import { journeyStep } from '../evidence/timeline.ts';

/** The web app before sign-in: the page a user opens to log in. */
export class AppLandingPage {
  /** The button or link that starts login; undefined when login starts at a URL. */
  readonly loginControl: Locator | undefined;

  constructor(
    private readonly page: Page,
    private readonly profile: Pick<TargetProfile, 'app' | 'startLogin'>,
  ) {
    const start = profile.startLogin;
    this.loginControl =
      'button' in start
        ? page.getByRole('button', { name: start.button })
        : 'link' in start
          ? page.getByRole('link', { name: start.link })
          : undefined;
  }

  /** Opens the app; the control that starts login is waited for when it is used. */
  async open(): Promise<void> {
    await journeyStep('Open the app', async () => {
      await this.page.goto(this.profile.app.url);
    });
  }

  async startLogin(): Promise<void> {
    await journeyStep('Start signing in', async () => {
      const start = this.profile.startLogin;
      if ('url' in start) await this.page.goto(start.url);
      else await this.loginControl?.click();
    });
  }
}
