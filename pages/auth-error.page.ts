import type { Locator, Page } from '@playwright/test';
import type { AuthErrorDetails } from '../evidence/error-page.ts';
import type { TargetProfile } from '../targets/profile.ts';
import { buttonLocator, readValue, RecognisedState } from './locate.ts';

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
    // "Try again" is a button on some pages and a link on others: either, by its name.
    this.tryAgainButton =
      error.retry === undefined ? undefined : buttonLocator(page, error.retry).or(page.getByRole('link', { name: error.retry }));
  }

  async read(): Promise<AuthErrorDetails> {
    const query = new URL(this.page.url()).searchParams;
    const fromQuery = (name: string | undefined) => (name ? (query.get(name) ?? undefined) : undefined);
    const errorCode = fromQuery(this.error.codeParam) ?? (this.error.code ? await readValue(this.page, this.error.code) : undefined);
    const requestId =
      fromQuery(this.error.requestIdParam) ?? (this.error.requestId ? await readValue(this.page, this.error.requestId) : undefined);
    const message = this.error.message ? await readValue(this.page, this.error.message) : (await this.alert.allTextContents())[0]?.trim();
    const diagnostics =
      this.error.diagnosticsRegion === undefined
        ? undefined
        : await readDiagnostics(this.page.getByRole('region', { name: this.error.diagnosticsRegion }));
    return {
      errorCode: errorCode || undefined,
      requestId: requestId && requestId !== 'unavailable' ? requestId : undefined,
      message: message ?? '',
      diagnostics,
    };
  }
}

/**
 * The diagnostics a region holds, in whichever shape the page gives them: a JSON block (in a
 * <pre> or as the region's whole text), a definition list, a table of name and value rows, or
 * lines of "name: value". Undefined when the region is absent or holds none of these.
 */
async function readDiagnostics(region: Locator): Promise<Record<string, unknown> | undefined> {
  if ((await region.count()) === 0) return undefined;
  // No function is named inside the page-side callback: a bundler that keeps names would wrap it in a helper the page lacks.
  const read = await region.first().evaluate((element) => {
    const texts: { pre: string | undefined; all: string; pairs: [string, string][]; lines: string[] } = {
      pre: element.querySelector('pre')?.textContent ?? undefined,
      all: element.textContent ?? '',
      pairs: [],
      lines: (element instanceof HTMLElement ? element.innerText : (element.textContent ?? '')).split('\n'),
    };
    for (const term of element.querySelectorAll('dt')) {
      const value = term.nextElementSibling;
      if (value?.tagName === 'DD') texts.pairs.push([term.textContent ?? '', value.textContent ?? '']);
    }
    if (!texts.pairs.length)
      for (const row of element.querySelectorAll('tr')) {
        const cells = row.querySelectorAll('th, td');
        if (cells.length === 2) texts.pairs.push([cells[0]?.textContent ?? '', cells[1]?.textContent ?? '']);
      }
    return texts;
  });
  const json = (text: string | undefined): Record<string, unknown> | undefined => {
    try {
      const value: unknown = JSON.parse(text ?? '');
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  const clean = (text: string) => text.replace(/\s+/g, ' ').trim().replace(/:$/, '');
  const fromJson = json(read.pre) ?? json(read.all.trim());
  if (fromJson) return fromJson;
  const pairs = read.pairs.length
    ? read.pairs
    : read.lines.flatMap((line): [string, string][] => {
        const match = /^\s*([\w.-]+)\s*[:=]\s*(.+?)\s*$/.exec(line);
        return match?.[1] && match[2] ? [[match[1], match[2]]] : [];
      });
  return pairs.length ? Object.fromEntries(pairs.map(([name, value]) => [clean(name), clean(value)])) : undefined;
}
