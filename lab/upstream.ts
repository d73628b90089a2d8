/**
 * An upstream email-verification service, as a real HTTP dependency of the token service. It
 * answers after `delayMs`; the check that calls it gives up after `timeoutMs`. The
 * `outlook-verify-timeout` fault switches the check on for Outlook-family addresses, against an
 * upstream slower than the check waits.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const OUTLOOK_DOMAINS = ['outlook.com', 'hotmail.com', 'live.com'] as const;

export function isOutlookFamily(email: string): boolean {
  const domain = email.split('@')[1]?.toLowerCase() ?? '';
  return (OUTLOOK_DOMAINS as readonly string[]).includes(domain);
}

export class UpstreamTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`upstream email verification timed out after ${timeoutMs} ms`);
    this.name = 'UpstreamTimeoutError';
  }
}

export interface EmailVerificationUpstream {
  readonly url: string;
  verify(email: string, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startEmailVerificationUpstream(delayMs: number): Promise<EmailVerificationUpstream> {
  const server: Server = createServer((req, res) => {
    const timer = setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"verified":true}'), delayMs);
    req.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/verify`;
  return {
    url,
    async verify(email, timeoutMs) {
      try {
        const response = await fetch(`${url}?email=${encodeURIComponent(email)}`, { signal: AbortSignal.timeout(timeoutMs) });
        await response.body?.cancel();
      } catch (error) {
        if ((error as Error).name === 'TimeoutError') throw new UpstreamTimeoutError(timeoutMs);
        throw error;
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
