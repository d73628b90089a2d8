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
  const raw = process.env.EXAMPLE_PORT ?? '4900';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1024 || port > 65_000) {
    process.stderr.write(`EXAMPLE_PORT=${JSON.stringify(raw)} must be a whole number from 1024 to 65000 (the app takes the next port)\n`);
    process.exit(2);
  }
  try {
    const target = await startExampleTarget(port);
    process.stdout.write(`${JSON.stringify({ event: 'example.ready', issuer: target.issuer, app: target.appUrl })}\n`);
    const stop = () => {
      void target.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop).once('SIGTERM', stop);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(
      code === 'EADDRINUSE'
        ? `port ${port} or ${port + 1} is taken; stop what holds it or set EXAMPLE_PORT to another port\n`
        : `the example target cannot start: ${(error as Error).message}\n`,
    );
    process.exit(1);
  }
}
