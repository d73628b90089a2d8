import type { Locator, Page } from '@playwright/test';
import type { TargetProfile } from '../targets/profile.ts';
import { readValue, urlMatches, visibleLocator } from './locate.ts';

/** The app once signed in: recognised by its URL or a visible marker; shows the account (and its plan, where the app does). */
export class SignedInHomePage {
  /** What marks the signed-in state on the page, when the profile names one. */
  readonly marker: Locator | undefined;

  constructor(
    private readonly page: Page,
    private readonly signedIn: TargetProfile['signedIn'],
  ) {
    this.marker = signedIn.visible ? visibleLocator(page, signedIn.visible) : undefined;
  }

  /** Whether the state is known by its URL (the marker alone cannot tell). */
  get recognisedByUrl(): boolean {
    return this.signedIn.url !== undefined;
  }

  async isShown(): Promise<boolean> {
    if (this.signedIn.url && !urlMatches(this.page, this.signedIn.url)) return false;
    return this.marker ? this.marker.isVisible() : true;
  }

  async read(): Promise<{ email: string | undefined; plan: string | undefined }> {
    const [email, plan] = await Promise.all([
      this.signedIn.accountEmail ? readValue(this.page, this.signedIn.accountEmail) : undefined,
      this.signedIn.plan ? readValue(this.page, this.signedIn.plan) : undefined,
    ]);
    return { email, plan };
  }
}
