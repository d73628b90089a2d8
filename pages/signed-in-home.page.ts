import type { Page } from '@playwright/test';
import type { Reader, TargetProfile } from '../targets/profile.ts';
import { readerLocator, readValue, RecognisedState } from './locate.ts';

/** The app once signed in: recognised by its URL or a visible marker; shows the account (and its plan, where the app does). */
export class SignedInHomePage extends RecognisedState {
  constructor(
    page: Page,
    private readonly signedIn: TargetProfile['signedIn'],
  ) {
    super(page, signedIn);
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
