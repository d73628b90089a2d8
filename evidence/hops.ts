/**
 * The sign-in's page loads, hop by hop: which site each went to, how (a redirect, a form's POST),
 * what came back, the OAuth error a hop carried, and the names of the cookies sent with it and set
 * by its answer. From them, a federated sign-in's story: the app, its provider (the broker), the
 * upstream provider, the return to the broker, and the hop that carried an error. Nothing secret
 * is kept: no query or form value other than `error` and `error_description`, no cookie value.
 */
import type { Page, Request, Response } from '@playwright/test';

/** A cookie an answer set: its name and the attributes that decide whether it comes back. */
export interface SetCookie {
  name: string;
  path: string;
  sameSite: string | undefined;
}

/** One page load of the sign-in. */
export interface Hop {
  origin: string;
  path: string;
  method: string;
  status?: number | undefined;
  /** The OAuth error the hop carried (in its URL, or a form_post's body): what the site before it answered. */
  error?: string | undefined;
  errorDescription?: string | undefined;
  cookiesSent: string[];
  cookiesSet: SetCookie[];
  requestId?: string | undefined;
}

/** A federated sign-in's hops, as the classifier reads them. */
export interface FederationEvidence {
  /** The site the client's provider sent the browser to, and that provider's own site. */
  upstream: string;
  broker: string;
  /** The chain of sites, `app → broker → upstream → broker → app`. */
  chain: string;
  /** The upstream's answer on its way back to the broker, when it carried an error. */
  upstreamError?: { error: string; description: string | undefined } | undefined;
  /** The broker's answer to the client, when it carried an error. */
  brokerError?: { error: string; description: string | undefined } | undefined;
  /**
   * The sign-in got past the federation: the provider showed a screen of its own after the
   * upstream's return (its second factor, consent), or handed the app its answer without an error
   * (a code). Whatever failed after that is the provider's or the app's, not a hop's.
   */
  passed: boolean;
  /** The hop back from the upstream to the broker: how it came, and which of the broker's cookies it carried. */
  returned?: { method: string; expected: SetCookie[]; carried: string[] } | undefined;
}

const originOf = (url: string): string | undefined => {
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? undefined : parsed.origin;
  } catch {
    return undefined;
  }
};

/** The cookie's name and Path and SameSite attributes, from a Set-Cookie line (its value is not kept). */
export function parseSetCookie(line: string, requestPath: string): SetCookie | undefined {
  const [pair = '', ...attributes] = line.split(';');
  const name = pair.split('=')[0]?.trim();
  if (!name) return undefined;
  const attribute = (key: string) =>
    attributes
      .map((part) => part.trim().split('='))
      .find(([attr]) => attr?.toLowerCase() === key)?.[1]
      ?.trim();
  // The default path is the request path's directory (RFC 6265 §5.1.4).
  const defaultPath = requestPath.lastIndexOf('/') > 0 ? requestPath.slice(0, requestPath.lastIndexOf('/')) : '/';
  return { name, path: attribute('path') ?? defaultPath, sameSite: attribute('samesite') };
}

const cookieNames = (header: string | undefined) =>
  (header ?? '')
    .split(';')
    .map((pair) => pair.split('=')[0]?.trim() ?? '')
    .filter(Boolean);

const pathMatches = (cookiePath: string, requestPath: string) =>
  requestPath === cookiePath || requestPath.startsWith(cookiePath.endsWith('/') ? cookiePath : `${cookiePath}/`);

export class HopRecorder {
  readonly hops: Hop[] = [];
  readonly #byRequest = new WeakMap<Request, Hop>();
  readonly #answers: Promise<void>[] = [];

  watch(page: Page): void {
    page.on('request', (request) => {
      if (!request.isNavigationRequest() || !this.#inMainFrame(page, request)) return;
      let url: URL;
      try {
        url = new URL(request.url());
      } catch {
        return;
      }
      if (!/^https?:$/.test(url.protocol)) return;
      const form = request.method() === 'POST' ? new URLSearchParams(request.postData() ?? '') : undefined;
      const carried = (key: string) => url.searchParams.get(key) ?? form?.get(key) ?? undefined;
      const hop: Hop = {
        origin: url.origin,
        path: url.pathname,
        method: request.method(),
        ...(carried('error') ? { error: carried('error'), errorDescription: carried('error_description') } : {}),
        cookiesSent: [],
        cookiesSet: [],
      };
      this.hops.push(hop);
      this.#byRequest.set(request, hop);
    });
    page.on('response', (response) => {
      const hop = this.#byRequest.get(response.request());
      if (hop) this.#answers.push(this.#answered(hop, response));
    });
  }

  #inMainFrame(page: Page, request: Request): boolean {
    try {
      return request.frame() === page.mainFrame();
    } catch {
      return false;
    }
  }

  async #answered(hop: Hop, response: Response): Promise<void> {
    hop.status = response.status();
    try {
      const [sent, received] = await Promise.all([response.request().allHeaders(), response.headersArray()]);
      hop.cookiesSent = cookieNames(sent.cookie);
      hop.cookiesSet = received
        .filter((header) => header.name.toLowerCase() === 'set-cookie')
        .map((header) => parseSetCookie(header.value, hop.path))
        .filter((cookie): cookie is SetCookie => cookie !== undefined);
      hop.requestId = received.find((header) => header.name.toLowerCase() === 'x-request-id')?.value;
    } catch {
      // The page or its context closed first: the hop keeps what it had.
    }
  }

  /** Waits for the answers already seen to be read. */
  async settled(): Promise<void> {
    await Promise.all(this.#answers);
  }

  /**
   * The federated part of the sign-in, when the client's provider (`providerOrigin`) sent the
   * browser to a site that is neither it nor the app (`appOrigins`): the chain of sites, the
   * errors on the way back, and whether the provider's cookies rode back with the upstream's answer.
   */
  federation(
    providerOrigin: string | undefined,
    appOrigins: readonly string[],
    upstreamOrigins: readonly string[] = [],
  ): FederationEvidence | undefined {
    const apps = new Set(appOrigins.map(originOf).filter(Boolean));
    const known = new Set(upstreamOrigins.map(originOf).filter(Boolean));
    const broker = providerOrigin ? originOf(providerOrigin) : undefined;
    if (!broker) return undefined;
    // The upstream: a site the profile names as one, or else neither the provider's nor the app's, reached from the provider.
    const isUpstream = (origin: string) => (known.size ? known.has(origin) : origin !== broker && !apps.has(origin));
    const firstUpstream = this.hops.findIndex(
      (hop, index) => isUpstream(hop.origin) && this.hops.slice(0, index).some((before) => before.origin === broker),
    );
    if (firstUpstream < 0) return undefined;
    const upstream = this.hops[firstUpstream]?.origin ?? '';
    const returnIndex = this.hops.findIndex((hop, index) => index > firstUpstream && hop.origin === broker);
    const back = returnIndex >= 0 ? this.hops[returnIndex] : undefined;
    // The cookies the broker set as it sent the browser away, that the return's path would carry.
    const leaving = this.hops
      .slice(0, firstUpstream)
      .filter((hop) => hop.origin === broker)
      .at(-1);
    const expected = back ? (leaving?.cookiesSet ?? []).filter((cookie) => pathMatches(cookie.path, back.path)) : [];
    const toApp = this.hops.find((hop, index) => index > firstUpstream && apps.has(hop.origin));
    const names: Record<string, string> = { [broker]: 'provider', [upstream]: 'upstream' };
    for (const app of apps) if (app) names[app] = 'app';
    const chain: string[] = [];
    for (const hop of this.hops) {
      const name = `${names[hop.origin] ?? hop.origin}${hop.error ? ` (${hop.error})` : ''}${hop.method === 'POST' && hop.origin === broker && hop === back ? ' (POST)' : ''}`;
      if (chain.at(-1) !== name) chain.push(name);
    }
    return {
      upstream,
      broker,
      chain: chain.join(' → '),
      ...(back?.error ? { upstreamError: { error: back.error, description: back.errorDescription } } : {}),
      ...(toApp?.error ? { brokerError: { error: toApp.error, description: toApp.errorDescription } } : {}),
      passed:
        (toApp !== undefined && toApp.error === undefined) ||
        (returnIndex >= 0 &&
          this.hops.some((hop, index) => index > returnIndex && hop.origin === broker && hop.status !== undefined && hop.status < 300)),
      ...(back ? { returned: { method: back.method, expected, carried: back.cookiesSent } } : {}),
    };
  }
}
