/**
 * A login written the way many modern identity providers are: oidc-provider behind a React login
 * UI (login.tsx, bundled with esbuild when the server starts) whose fields are all controlled
 * inputs, posting JSON. Its screens come in the order the account needs: identifier (email or
 * user name), password, a TOTP code for enrolled accounts only, "Stay signed in?", then consent
 * (a box per scope — one scope only for accounts with an authenticator —, "Grant access", then
 * "Continue"). Each accepted step is confirmed by a toast in role=alert on the next screen, and an
 * accepted code by a toast on the code screen itself for most of a second before it moves on, as
 * some providers do. A TOTP code is good once: the same code (or an older one) is refused until
 * the next 30-second period. The small PKCE client of examples/spa-client.ts sits in front.
 *
 *   npm run example:react-idp       identity provider on http://127.0.0.1:4910,
 *                                   client app on http://localhost:4911 (EXAMPLE_PORT moves both)
 *
 * Accounts (with passwords and TOTP secrets) are read from examples/accounts.json, the same file
 * the suite reads as ACCOUNTS_FILE. EXAMPLE_FAULTS=outlook-invalid-grant makes the token endpoint
 * answer invalid_grant for Outlook-family addresses; totp-not-asked makes the provider stop asking
 * the first account with an authenticator for its code (a security regression a green cell would
 * hide). Everything binds to 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { Secret, TOTP } from 'otpauth';
import { runExample } from '../run-example.ts';
import { startSpaClient } from '../spa-client.ts';

interface ExampleAccount {
  email: string;
  login?: string;
  password: string;
  totpSecret: string | null;
  plan: 'plus' | 'free';
}

/** The faults this example can simulate, off by default. */
export const EXAMPLE_FAULTS = ['outlook-invalid-grant', 'totp-not-asked'] as const;
export type ExampleFault = (typeof EXAMPLE_FAULTS)[number];

const OUTLOOK_DOMAINS = new Set(['outlook.com', 'hotmail.com', 'live.com']);
const CLIENT_NAME = 'Example SPA';
const SCOPE = 'openid email plan';

export interface ReactIdp {
  issuer: string;
  appUrl: string;
  close(): Promise<void>;
}

interface Progress {
  accountId?: string;
  passwordOk?: boolean;
  otpOk?: boolean;
}

async function bundleLoginUi(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./login.tsx', import.meta.url))],
    bundle: true,
    format: 'iife',
    minify: true,
    write: false,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

const shell = (uid: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label{display:block}</style>
</head><body><div id="root" data-uid="${uid}"></div><script src="/assets/login.js"></script></body></html>`;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16_384) return {};
    chunks.push(chunk);
  }
  try {
    const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

export async function startReactIdp(port: number, faults: readonly ExampleFault[] = []): Promise<ReactIdp> {
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = JSON.parse(readFileSync(new URL('../accounts.json', import.meta.url), 'utf8')) as ExampleAccount[];
  const byId = new Map(accounts.map((account) => [account.email.toLowerCase(), account]));
  const firstWithAuthenticator = accounts.find((account) => account.totpSecret);
  const find = (identifier: string) => {
    const wanted = identifier.trim().toLowerCase();
    return accounts.find((account) => account.email.toLowerCase() === wanted || account.login?.toLowerCase() === wanted);
  };
  const lastTotpCounter = new Map<string, number>();
  const progress = new Map<string, Progress>();
  const loginUi = await bundleLoginUi();
  const app = await startSpaClient(port + 1, issuer);

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'example-spa',
        client_name: CLIENT_NAME,
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [app.redirectUri],
      },
    ],
    claims: { openid: ['sub'], email: ['email'], plan: ['plan'] },
    scopes: ['openid', 'email', 'plan'],
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount(_ctx, id) {
      const account = byId.get(id.toLowerCase());
      return account ? { accountId: id, claims: () => ({ sub: id, email: account.email, plan: account.plan }) } : undefined;
    },
  });
  if (faults.includes('outlook-invalid-grant')) {
    provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
      await next();
      if (ctx.path !== '/token' || ctx.status !== 200) return;
      const idToken = (ctx.body as { id_token?: unknown } | undefined)?.id_token;
      const payload = typeof idToken === 'string' ? idToken.split('.')[1] : undefined;
      const email = payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { email?: string }).email : undefined;
      if (!email || !OUTLOOK_DOMAINS.has(email.split('@')[1]?.toLowerCase() ?? '')) return;
      ctx.status = 400;
      ctx.body = { error: 'invalid_grant', error_description: 'grant request is invalid (mailbox ownership could not be confirmed)' };
    });
  }
  const oidc = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> => {
    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      details = undefined;
    }
    if (!details || details.uid !== uid) {
      if (req.method === 'GET' && action === undefined) {
        res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><h1>This sign-in has expired</h1>');
      } else json(res, 400, { error: 'This sign-in has expired. Start again from the app.' });
      return;
    }
    if (req.method === 'GET' && action === undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(shell(uid));
      return;
    }
    const state = progress.get(uid) ?? {};
    progress.set(uid, state);
    const account = state.accountId ? byId.get(state.accountId) : undefined;
    if (req.method === 'GET' && action === 'state') {
      if (details.prompt.name === 'consent') {
        const signedIn = details.session?.accountId ? byId.get(details.session.accountId) : undefined;
        return json(res, 200, {
          next: { step: 'consent', client: CLIENT_NAME, granted: false, authenticator: Boolean(signedIn?.totpSecret) },
        });
      }
      return json(res, 200, { next: { step: 'identifier' } });
    }
    if (req.method !== 'POST') return json(res, 405, { error: 'Method not allowed.' });
    const body = await readJson(req);
    const text = (key: string) => (typeof body[key] === 'string' ? body[key] : '');

    switch (action) {
      case 'identifier': {
        const identifier = text('identifier');
        if (!identifier.trim()) return json(res, 400, { error: 'Enter your email address or username.', next: { step: 'identifier' } });
        // An unknown identifier still gets the password screen: the form does not tell who has an account.
        state.accountId = find(identifier)?.email.toLowerCase() ?? `unknown:${identifier}`;
        state.passwordOk = false;
        return json(res, 200, { next: { step: 'password', identifier } });
      }
      case 'password': {
        if (!account || text('password') !== account.password) {
          return json(res, 401, { error: 'Incorrect username or password.', next: { step: 'password', identifier: account?.email ?? '' } });
        }
        state.passwordOk = true;
        const asked = account.totpSecret && !(faults.includes('totp-not-asked') && account === firstWithAuthenticator);
        if (!asked) state.otpOk = true;
        return json(res, 200, { next: { step: asked ? 'otp' : 'stay' }, notice: 'Authentication success' });
      }
      case 'otp': {
        if (!account?.totpSecret || !state.passwordOk) return json(res, 400, { error: 'Start again from the app.' });
        const totp = new TOTP({ secret: Secret.fromBase32(account.totpSecret), period: 30, digits: 6 });
        const delta = totp.validate({ token: text('code').replace(/\s+/g, ''), window: 1 });
        if (delta === null)
          return json(res, 401, { error: 'That code is not right. Check your authenticator app.', next: { step: 'otp' } });
        const counter = totp.counter() + delta;
        if ((lastTotpCounter.get(account.email) ?? -1) >= counter) {
          return json(res, 401, { error: 'That code was already used. Wait for the next one.', next: { step: 'otp' } });
        }
        lastTotpCounter.set(account.email, counter);
        state.otpOk = true;
        return json(res, 200, { next: { step: 'stay' }, notice: 'Code verified. Authentication success' });
      }
      case 'stay': {
        if (!account || !state.passwordOk || (account.totpSecret && !state.otpOk))
          return json(res, 400, { error: 'Start again from the app.' });
        progress.delete(uid);
        const redirect = await provider.interactionResult(
          req,
          res,
          { login: { accountId: account.email.toLowerCase(), remember: body.stay === true } },
          { mergeWithLastSubmission: false },
        );
        return json(res, 200, { redirect });
      }
      case 'consent': {
        const accountId = details.session?.accountId;
        if (details.prompt.name !== 'consent' || !accountId) return json(res, 400, { error: 'Start again from the app.' });
        if (body.share !== true) {
          const redirect = await provider.interactionResult(
            req,
            res,
            { error: 'access_denied', error_description: 'the user did not grant access' },
            { mergeWithLastSubmission: false },
          );
          return json(res, 200, { redirect });
        }
        const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
        grant.addOIDCScope(SCOPE);
        const grantId = await grant.save();
        const redirect = await provider.interactionResult(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
        return json(res, 200, { redirect });
      }
      default:
        return json(res, 404, { error: 'No such step.' });
    }
  };

  const server: Server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', issuer);
    if (pathname === '/assets/login.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(loginUi);
      return;
    }
    const match = /^\/interaction\/([\w-]+)(?:\/(state|identifier|password|otp|stay|consent))?$/.exec(pathname);
    if (match) {
      interaction(req, res, match[1] ?? '', match[2]).catch((error: unknown) => {
        if (!res.headersSent) json(res, 500, { error: `The sign-in service failed: ${(error as Error).message}` });
      });
      return;
    }
    void oidc(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(port, '127.0.0.1', () => resolve());
  });

  return {
    issuer,
    appUrl: app.url,
    close: async () => {
      await Promise.all([
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
        app.close(),
      ]);
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runExample({ defaultPort: 4910, faults: EXAMPLE_FAULTS, start: startReactIdp });
}
