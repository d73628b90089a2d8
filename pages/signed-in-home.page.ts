import type { Locator, Page } from '@playwright/test';
import type { Reader, TargetProfile } from '../targets/profile.ts';
import { readerLocator, readValue, urlMatches, visibleLocator } from './locate.ts';

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
    const [email, plan] = await Promise.all([this.#value(this.signedIn.accountEmail), this.#value(this.signedIn.plan)]);
    return { email, plan };
  }

  /** A value shown with the signed-in state; one the app renders a moment later is waited for (up to 5 s). */
  async #value(reader: Reader | undefined): Promise<string | undefined> {
    if (!reader) return undefined;
    const now = await readValue(this.page, reader);
    if (now !== undefined) return now;
    await readerLocator(this.page, reader)
      .first()
      .waitFor({ state: 'attached', timeout: 5_000 })
      .catch(() => undefined);
    return readValue(this.page, reader);
  }
}
