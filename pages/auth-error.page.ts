import type { Locator, Page } from '@playwright/test';
import type { TargetProfile } from '../targets/profile.ts';
import { buttonLocator, readValue, RecognisedState } from './locate.ts';

export interface AuthErrorDetails {
  errorCode: string | undefined;
  requestId: string | undefined;
  message: string;
  diagnostics: Record<string, unknown> | undefined;
}

/** The app's error page after a failed sign-in: its error code, request id, message and diagnostics. */
export class AuthErrorPage extends RecognisedState {
  readonly alert: Locator;
  readonly tryAgainButton: Locator | undefined;

  constructor(
    page: Page,
    private readonly error: TargetProfile['error'],
  ) {
    super(page, error);
    this.alert = page.getByRole('alert');
    this.tryAgainButton = error.retry === undefined ? undefined : buttonLocator(page, error.retry);
  }

  async read(): Promise<AuthErrorDetails> {
    const query = new URL(this.page.url()).searchParams;
    const fromQuery = (name: string | undefined) => (name ? (query.get(name) ?? undefined) : undefined);
    const errorCode = fromQuery(this.error.codeParam) ?? (this.error.code ? await readValue(this.page, this.error.code) : undefined);
    const requestId =
      fromQuery(this.error.requestIdParam) ?? (this.error.requestId ? await readValue(this.page, this.error.requestId) : undefined);
    const message = this.error.message ? await readValue(this.page, this.error.message) : (await this.alert.allTextContents())[0]?.trim();
    let diagnostics: Record<string, unknown> | undefined;
    if (this.error.diagnosticsRegion !== undefined) {
      const block = this.page.getByRole('region', { name: this.error.diagnosticsRegion }).locator('pre');
      if ((await block.count()) > 0) {
        try {
          diagnostics = JSON.parse((await block.textContent()) ?? '') as Record<string, unknown>;
        } catch {
          diagnostics = undefined;
        }
      }
    }
    return {
      errorCode: errorCode || undefined,
      requestId: requestId && requestId !== 'unavailable' ? requestId : undefined,
      message: message ?? '',
      diagnostics,
    };
  }
}
