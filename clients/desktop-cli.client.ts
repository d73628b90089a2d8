import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { AuthmatrixError } from '../evidence/verdict.ts';
import { journeyStep } from '../evidence/timeline.ts';
import { authorizationUrl, createPkce } from './oauth.ts';
import { scaled } from '../settings/timeouts.ts';
import type { JourneyAccount } from '../accounts/account.ts';
import { IdentityProviderScreens } from '../pages/identity-provider.ts';
import type { JourneyOutcome } from '../pages/login-journey.ts';
import { completeNativeSignIn, type NativeClientOptions } from './native-client.ts';

/** The machine, not the target: another program holds the port the CLI must listen on. */
export class CallbackPortTakenError extends AuthmatrixError {
  constructor(port: number) {
    super({
      category: 'test-defect',
      cause: 'callback-port-taken',
      summary: `the CLI's callback port ${port} on 127.0.0.1 is taken by another program: close it, or let the CLI pick a free port (port policy "fallback")`,
    });
  }
}

/**
 * The CLI's side of an RFC 8252 loopback redirect: a one-shot HTTP listener on 127.0.0.1. It
 * prefers one port; if that is taken it takes any free one ("fallback") or stops with a clear
 * error ("strict").
 */
export class LoopbackReceiver {
  readonly #server: Server;
  readonly #callback: Promise<URLSearchParams>;
  #received = false;

  private constructor(server: Server, callback: Promise<URLSearchParams>) {
    this.#server = server;
    this.#callback = callback;
    void callback.then(() => (this.#received = true));
  }

  /** Whether the browser has brought the redirect to this listener. */
  get received(): boolean {
    return this.#received;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get redirectUri(): string {
    return `http://127.0.0.1:${this.port}/callback`;
  }

  static async listen(preferredPort: number, policy: 'fallback' | 'strict'): Promise<LoopbackReceiver> {
    let resolveCallback: (params: URLSearchParams) => void = () => undefined;
    const callback = new Promise<URLSearchParams>((resolve) => (resolveCallback = resolve));
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/callback') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
      res.end('<!doctype html><title>authmatrix CLI</title><h1>Signed in to the authmatrix CLI</h1><p>You can close this window.</p>');
      resolveCallback(url.searchParams);
    });
    const tryListen = (port: number) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
    try {
      await tryListen(preferredPort);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      if (policy === 'strict') throw new CallbackPortTakenError(preferredPort);
      await tryListen(0);
    }
    return new LoopbackReceiver(server, callback);
  }

  /** The redirect's parameters, or an error after `timeoutMs`; the timer is cleared either way. */
  async waitForCallback(timeoutMs: number): Promise<URLSearchParams> {
    // Named now: once the listener has closed it has no port to name.
    const where = this.redirectUri;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.#callback,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no redirect reached the CLI on ${where} within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}

export interface DesktopCliOptions extends NativeClientOptions {
  preferredPort: number;
  portPolicy?: 'fallback' | 'strict';
}

/** A desktop CLI: it opens the system browser for the login pages and receives the code on a loopback port. */
export class DesktopCliClient {
  readonly identityProvider: IdentityProviderScreens;

  constructor(
    private readonly page: Page,
    private readonly options: DesktopCliOptions,
  ) {
    this.identityProvider = new IdentityProviderScreens(page, options.provider);
  }

  async signIn(account: JourneyAccount): Promise<JourneyOutcome> {
    return journeyStep('Sign in from the desktop CLI', async () => {
      const receiver = await LoopbackReceiver.listen(this.options.preferredPort, this.options.portPolicy ?? 'fallback');
      try {
        const pkce = createPkce();
        const { client } = this.options;

        await journeyStep(`Open the browser (callback on port ${receiver.port})`, async () => {
          await this.page.goto(authorizationUrl(this.options.authorizationEndpoint, client, pkce, receiver.redirectUri));
        });

        await this.identityProvider.signIn(account, this.options.codes, () => Promise.resolve(receiver.received));
        const params = await receiver.waitForCallback(scaled(20_000));
        return await journeyStep('Exchange the code from the CLI', async () => {
          return completeNativeSignIn(this.options, params, pkce, receiver.redirectUri);
        });
      } finally {
        await receiver.close();
      }
    });
  }
}
