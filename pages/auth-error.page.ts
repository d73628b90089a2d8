import type { Locator, Page } from '@playwright/test';
import type { UiLabels } from './labels.ts';

export interface AuthErrorDetails {
  errorCode: string | undefined;
  requestId: string | undefined;
  message: string;
  diagnostics: Record<string, unknown> | undefined;
}

/** The app's error page after a failed sign-in: error_code, request_id and a diagnostics block. */
export class AuthErrorPage {
  readonly heading: Locator;
  readonly alert: Locator;
  readonly errorCode: Locator;
  readonly requestId: Locator;
  readonly diagnostics: Locator;
  readonly tryAgainButton: Locator;

  constructor(page: Page, labels: UiLabels) {
    this.heading = page.getByRole('heading', { name: labels.errorHeading });
    this.alert = page.getByRole('alert');
    this.errorCode = page.getByText(/^error_code: /);
    this.requestId = page.getByText(/^request_id: /);
    this.diagnostics = page.getByRole('region', { name: labels.diagnostics });
    this.tryAgainButton = page.getByRole('button', { name: 'Try again' });
  }

  async read(): Promise<AuthErrorDetails> {
    const code = (await this.errorCode.textContent())?.replace(/^error_code:\s*/, '').trim();
    const requestId = (await this.requestId.textContent())?.replace(/^request_id:\s*/, '').trim();
    let diagnostics: Record<string, unknown> | undefined;
    if ((await this.diagnostics.count()) > 0) {
      try {
        diagnostics = JSON.parse((await this.diagnostics.locator('pre').textContent()) ?? '') as Record<string, unknown>;
      } catch {
        diagnostics = undefined;
      }
    }
    return {
      errorCode: code || undefined,
      requestId: requestId && requestId !== 'unavailable' ? requestId : undefined,
      message: ((await this.alert.textContent()) ?? '').trim(),
      diagnostics,
    };
  }
}
