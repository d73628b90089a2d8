/**
 * A login we did not write, for trying the suite against something other than the lab:
 * oidc-provider with its stock development interactions (its own login and consent pages) in
 * front of a small single-page client that signs in with PKCE and shows who is signed in.
 *
 *   npm run example:oidc-dev        identity provider on http://127.0.0.1:4900,
 *                                   client app on http://localhost:4901 (EXAMPLE_PORT moves both)
 *
 * The development interactions take any login and password; the users' email and plan claims
 * come from accounts.json beside this file, the same file the suite reads as ACCOUNTS_FILE.
 * Everything binds to 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Provider from 'oidc-provider';
import { runExample } from '../run-example.ts';
import { startSpaClient } from '../spa-client.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface ExampleTarget {
  issuer: string;
  appUrl: string;
  close(): Promise<void>;
}

interface ExampleUser {
  email: string;
  plan: 'plus' | 'free';
}

export async function startExampleTarget(port: number): Promise<ExampleTarget> {
  const issuer = `http://127.0.0.1:${port}`;
  const appUrl = `http://localhost:${port + 1}`;
  const users = new Map(
    (JSON.parse(readFileSync(path.join(here, 'accounts.json'), 'utf8')) as ExampleUser[]).map((user) => [user.email.toLowerCase(), user]),
  );

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'example-spa',
        client_name: 'Example SPA',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${appUrl}/callback`],
      },
    ],
    claims: { openid: ['sub'], email: ['email'], plan: ['plan'] },
    scopes: ['openid', 'email', 'plan'],
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    findAccount(_ctx, id) {
      const user = users.get(id.toLowerCase());
      return { accountId: id, claims: () => ({ sub: id, email: user?.email ?? id, plan: user?.plan ?? 'free' }) };
    },
  });
  const idp: Server = provider.listen(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    idp.once('listening', resolve).once('error', reject);
  });

  const app = await startSpaClient(port + 1, issuer);

  return {
    issuer,
    appUrl,
    close: async () => {
      await Promise.all([new Promise<void>((resolve) => idp.close(() => resolve())), app.close()]);
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runExample({ defaultPort: 4900, faults: [], start: (port) => startExampleTarget(port) });
}
