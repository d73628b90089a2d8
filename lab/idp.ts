/**
 * The identity provider: two oidc-provider instances (the primary and the replica token node) with
 * one configuration, one key set and one shared store. Only the store's replication lag tells them
 * apart, exactly as with a real primary/replica pair.
 */
import './quiet-runtime-warning.ts';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { type Configuration, type JWK, type KoaContextWithOIDC } from 'oidc-provider';
import type { AccountStore } from './accounts.ts';
import { contextOf, LAB_HEADERS } from './context.ts';
import type { LabLog } from './log.ts';
import { adapterFor, type NodeName, type ReplicatedStore } from './store.ts';
import { renderPage, escapeHtml } from './views.ts';

export const WEB_CLIENT_ID = 'authmatrix-web';
export const IOS_CLIENT_ID = 'authmatrix-ios';
export const IOS_REDIRECT_URI = 'com.authmatrix.app:/oauth/callback';
export const CLI_CLIENT_ID = 'authmatrix-cli';
/** RFC 8252 loopback redirect: the CLI listens on any free port; the provider ignores the port. */
export const CLI_REDIRECT_URI = 'http://127.0.0.1/callback';
export const SCOPE = 'openid email plan';

export interface IdpOptions {
  issuer: string;
  appOrigin: string;
  store: ReplicatedStore;
  accounts: AccountStore;
  log: LabLog;
}

export interface Idp {
  readonly primary: Provider;
  readonly replica: Provider;
  node(name: NodeName): Provider;
}

export function createIdp(options: IdpOptions): Idp {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: `lab-${randomBytes(4).toString('hex')}`, use: 'sig', alg: 'RS256' };
  const cookieKeys = [randomBytes(32).toString('base64url')];
  const build = (node: NodeName): Provider => {
    const provider = new Provider(options.issuer, configuration(options, node, jwk, cookieKeys));
    provider.use(labMiddleware(options.log, node));
    provider.on('server_error', (ctx: KoaContextWithOIDC, error: Error) => {
      options.log.write('idp', 'idp.server_error', { request_id: contextOf(ctx.req)?.requestId, node, error: error.message });
    });
    return provider;
  };
  const primary = build('primary');
  const replica = build('replica');
  return { primary, replica, node: (name) => (name === 'primary' ? primary : replica) };
}

function configuration(options: IdpOptions, node: NodeName, jwk: JWK, cookieKeys: string[]): Configuration {
  const { accounts } = options;
  return {
    adapter: adapterFor(options.store, node),
    clients: [
      {
        client_id: WEB_CLIENT_ID,
        client_name: 'authmatrix web app',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${options.appOrigin}/callback`],
      },
      {
        client_id: IOS_CLIENT_ID,
        client_name: 'authmatrix iOS app',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [IOS_REDIRECT_URI],
      },
      {
        client_id: CLI_CLIENT_ID,
        client_name: 'authmatrix desktop CLI',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [CLI_REDIRECT_URI],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: cookieKeys },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], plan: ['plan'] },
    scopes: ['openid', 'email', 'plan'],
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    ttl: { AuthorizationCode: 60, AccessToken: 3600, IdToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // The web app is first-party: the grant is the scope it asked for, with no consent screen.
    async loadExistingGrant(ctx) {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (!session?.accountId || !client) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(SCOPE);
      await grant.save();
      return grant;
    },
    findAccount(_ctx, sub) {
      const account = accounts.findById(sub);
      if (!account) return undefined;
      return {
        accountId: account.id,
        claims: () => ({ sub: account.id, email: account.email, email_verified: true, plan: account.plan }),
      };
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = renderPage({
        title: 'Sign-in error',
        body: `<h1>Sign-in error</h1><p>${escapeHtml(out.error)}: ${escapeHtml(out.error_description ?? '')}</p>`,
      });
      await Promise.resolve();
    },
  };
}

/**
 * Stamps every identity-provider response with the request_id, serving node and entry point, lets
 * a browser read them across origins, and logs each token request's outcome.
 */
function labMiddleware(log: LabLog, node: NodeName) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    const context = contextOf(ctx.req);
    if (context) {
      context.node = node;
      ctx.set(LAB_HEADERS.requestId, context.requestId);
      ctx.set(LAB_HEADERS.node, node);
      ctx.set(LAB_HEADERS.entry, context.entry);
    }
    await next();
    if (ctx.response.get('Access-Control-Allow-Origin')) {
      ctx.append('Access-Control-Expose-Headers', [LAB_HEADERS.requestId, LAB_HEADERS.node, LAB_HEADERS.entry, 'Date'].join(', '));
    }
    if (ctx.oidc?.route === 'token' && ctx.method === 'POST') {
      const body = ctx.body as { error?: string; error_description?: string } | undefined;
      log.write('token', ctx.status < 400 ? 'token.issued' : 'token.rejected', {
        request_id: context?.requestId,
        node,
        entry: context?.entry,
        status: ctx.status,
        client_id: ctx.oidc.client?.clientId,
        error: ctx.status >= 400 ? body?.error : undefined,
        error_description: ctx.status >= 400 ? body?.error_description : undefined,
      });
    }
  };
}
