/** Serves the web app (a static single-page client) and the configuration it reads at start. */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSwitchboard } from './faults.ts';
import { sendJson } from './http.ts';

const ASSETS = {
  '/app.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('./webapp/app.js', import.meta.url)) },
  '/': { type: 'text/html; charset=utf-8', body: readFileSync(new URL('./webapp/index.html', import.meta.url)) },
} as const;

const SPA_ROUTES = new Set(['/', '/callback', '/home']);

export interface WebAppConfig {
  issuer: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  /** How far the id_token's time claims may be off the browser's clock. */
  leewaySeconds: number;
  faults: FaultSwitchboard;
}

/**
 * What the app's faults change, read afresh for each page load: `client-clock-strict` cuts the
 * leeway to 0 s; `state-cookie-strict` sets the login-state cookie SameSite=Strict;
 * `stale-state-preferred` makes the callback take the oldest pending attempt, not the one its
 * state names.
 */
function appSettings(config: WebAppConfig) {
  const { faults } = config;
  return {
    leewaySeconds: faults.isArmed('client-clock-strict') ? 0 : config.leewaySeconds,
    stateCookieSameSite: faults.isArmed('state-cookie-strict') ? 'Strict' : 'Lax',
    attemptChoice: faults.isArmed('stale-state-preferred') ? 'oldest' : 'matching',
  };
}

export const STATE_COOKIE = 'am_login';

function hasCookie(header: string | undefined, name: string): boolean {
  return (header ?? '').split(/;\s*/).some((part) => part.startsWith(`${name}=`) && part.length > name.length + 1);
}

export function createWebApp(config: WebAppConfig) {
  return function handle(req: IncomingMessage, res: ServerResponse): void {
    const { pathname } = new URL(req.url ?? '/', 'http://app.invalid');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (pathname === '/config.json') {
      sendJson(res, 200, {
        issuer: config.issuer,
        clientId: config.clientId,
        redirectUri: config.redirectUri,
        scope: config.scope,
        ...appSettings(config),
      });
      return;
    }
    if (pathname === '/callback' && req.method === 'GET') {
      // The app's server checks that the browser brought its login state back with the redirect.
      const seen = hasCookie(req.headers.cookie, STATE_COOKIE);
      const html = ASSETS['/'].body
        .toString('utf8')
        .replace('<head>', `<head><meta name="login-state-cookie" content="${seen ? 'present' : 'absent'}">`);
      res.writeHead(200, { 'content-type': ASSETS['/'].type, 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    const asset = pathname === '/app.js' ? ASSETS['/app.js'] : SPA_ROUTES.has(pathname) ? ASSETS['/'] : undefined;
    if (!asset) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store', 'content-length': asset.body.length });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  };
}
