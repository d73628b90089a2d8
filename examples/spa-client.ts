/**
 * The example targets' app: a small single-page OpenID Connect client (spa-client.html) that
 * signs in with PKCE, exchanges the code from the browser and shows who is signed in, served on
 * its own site (localhost, against the provider's 127.0.0.1) like a real app.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';

const PAGE = readFileSync(new URL('./spa-client.html', import.meta.url), 'utf8');

export interface SpaClient {
  url: string;
  /** The redirect URI the provider registers for client `example-spa`. */
  redirectUri: string;
  close(): Promise<void>;
}

export async function startSpaClient(port: number, issuer: string): Promise<SpaClient> {
  const url = `http://localhost:${port}`;
  const page = PAGE.replaceAll('%ISSUER%', issuer).replaceAll('%APP_URL%', url);
  const server: Server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', url).pathname;
    if (req.method !== 'GET' || (pathname !== '/' && pathname !== '/callback')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url,
    redirectUri: `${url}/callback`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
