/**
 * The identity provider: two oidc-provider instances (the primary and the replica token node) with
 * one configuration, one key set and one shared store. Only the store's replication lag tells them
 * apart, exactly as with a real primary/replica pair.
 */
import './quiet-runtime-warning.ts';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { decodeJwt, SignJWT } from 'jose';
import Provider, { errors, type Configuration, type JWK, type KoaContextWithOIDC } from 'oidc-provider';
import { faultSettings, type FaultSwitchboard } from './faults.ts';
import { isOutlookFamily, UpstreamTimeoutError, type EmailVerificationUpstream } from './upstream.ts';
import type { AccountStore } from './accounts.ts';
import { contextOf, EXPOSED_HEADERS, LAB_HEADERS } from './context.ts';
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
  faults: FaultSwitchboard;
  upstream: EmailVerificationUpstream;
}

/** How long token issuance waits on the upstream email verification. */
export const EMAIL_VERIFICATION_TIMEOUT_MS = 300;

/** An error the token endpoint shows as it is, 5xx included (oidc-provider hides unexposed 5xx). */
function exposedError(status: number, error: string, description: string): errors.OIDCProviderError {
  const failure = new errors.OIDCProviderError(status, error);
  failure.error_description = description;
  failure.expose = true;
  return failure;
}

const grantErrorDetails = new WeakMap<object, string>();

export interface Idp {
  readonly primary: Provider;
  readonly replica: Provider;
  node(name: NodeName): Provider;
}

export function createIdp(options: IdpOptions): Idp {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: `lab-${randomBytes(4).toString('hex')}`, use: 'sig', alg: 'RS256' };
  const keys: SigningKeys = {
    published: { key: privateKey, kid: jwk.kid },
    // The key a rotation signs with before the JWKS lists it (signing-key-unpublished).
    unpublished: { key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, kid: `lab-next-${randomBytes(4).toString('hex')}` },
  };
  const cookieKeys = [randomBytes(32).toString('base64url')];
  const build = (node: NodeName): Provider => {
    const provider = new Provider(options.issuer, configuration(options, node, jwk, cookieKeys));
    provider.use(labMiddleware(options.log, node));
    provider.on('grant.error', (ctx: KoaContextWithOIDC, error: errors.OIDCProviderError) => {
      if (error.error_detail) grantErrorDetails.set(ctx.req, error.error_detail);
    });
    if (node === 'replica') {
      skewIdTokenClock(provider, options.faults);
      provider.use(reissueIdTokens(options.faults, keys));
    }
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
        claims: () => {
          if (account.plan === 'plus' && options.faults.isArmed('plus-claims-error')) {
            throw exposedError(500, 'server_error', 'subscription claims lookup failed: the entitlements service returned an error');
          }
          return { sub: account.id, email: account.email, email_verified: true, plan: account.plan };
        },
      };
    },
    // Checks a deploy may add to token issuance; the faults switch them on.
    async extraTokenClaims(ctx) {
      const account = ctx.oidc.account ? accounts.findById(ctx.oidc.account.accountId) : undefined;
      if (!account) return undefined;
      if (options.faults.isArmed('outlook-verify-timeout') && isOutlookFamily(account.email)) {
        try {
          await options.upstream.verify(account.email, EMAIL_VERIFICATION_TIMEOUT_MS);
        } catch (error) {
          if (error instanceof UpstreamTimeoutError)
            throw exposedError(
              503,
              'temporarily_unavailable',
              `upstream email verification timed out after ${EMAIL_VERIFICATION_TIMEOUT_MS} ms`,
            );
          throw error;
        }
      }
      if (options.faults.isArmed('outlook-verify-hang') && isOutlookFamily(account.email)) {
        const { holdMs } = faultSettings('outlook-verify-hang');
        await untilClientGivesUp(ctx.res, holdMs);
        throw exposedError(504, 'temporarily_unavailable', `upstream email verification gave no answer in ${holdMs} ms`);
      }
      if (options.faults.isArmed('no-phone-risk-reject') && !account.phone) {
        throw new errors.InvalidGrant('risk policy rejected token issuance: no verified phone on the account');
      }
      return undefined;
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
    // Like many providers, the lab says why a grant was refused (oidc-provider keeps it as error_detail).
    const detail = grantErrorDetails.get(ctx.req);
    const errorBody = ctx.body as { error?: string; error_description?: string } | undefined;
    if (detail && errorBody?.error === 'invalid_grant')
      errorBody.error_description = `${errorBody.error_description ?? 'grant request is invalid'} (${detail})`;
    if (ctx.response.get('Access-Control-Allow-Origin')) {
      ctx.append('Access-Control-Expose-Headers', EXPOSED_HEADERS);
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

/**
 * The replica's id_tokens while `idp-clock-ahead` is armed: issued (iat) and expiring (exp) by a
 * clock running the catalogued number of seconds fast, as a token service with a drifted clock issues them.
 */
function skewIdTokenClock(provider: Provider, faults: FaultSwitchboard): void {
  const prototype = provider.IdToken.prototype as unknown as {
    issue: (options?: { use?: string; expiresAt?: number }) => Promise<string>;
    set: (key: string, value: unknown) => void;
  };
  const issue = prototype.issue;
  prototype.issue = function issueWithClock(this: typeof prototype, issueOptions = {}) {
    if (!faults.isArmed('idp-clock-ahead') || issueOptions.use !== 'idtoken') return issue.call(this, issueOptions);
    const skewedNow = Math.floor(Date.now() / 1000) + faultSettings('idp-clock-ahead').aheadSeconds;
    this.set('iat', skewedNow);
    return issue.call(this, { ...issueOptions, expiresAt: skewedNow + 3600 });
  };
}

/** Resolves when the client closes the connection (it gave up), or after `maxMs`. */
function untilClientGivesUp(res: ServerResponse, maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, maxMs);
    timer.unref();
    res.once('close', done);
  });
}

interface SigningKeys {
  published: { key: KeyObject; kid: string };
  unpublished: { key: KeyObject; kid: string };
}

/**
 * The replica's id_tokens while `audience-mixup` or `signing-key-unpublished` is armed: issued to
 * the catalogued wrong audience, or signed with a key its JWKS does not list, as a token service
 * with those deploy mistakes issues them. Everything else in the token is as issued.
 */
function reissueIdTokens(faults: FaultSwitchboard, keys: SigningKeys) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    await next();
    const mixup = faults.isArmed('audience-mixup');
    const unpublished = faults.isArmed('signing-key-unpublished');
    if ((!mixup && !unpublished) || ctx.oidc?.route !== 'token' || ctx.method !== 'POST' || ctx.status !== 200) return;
    const body = ctx.body as { id_token?: unknown } | undefined;
    if (typeof body?.id_token !== 'string') return;
    const claims = decodeJwt(body.id_token);
    const signer = unpublished ? keys.unpublished : keys.published;
    body.id_token = await new SignJWT({ ...claims, ...(mixup ? { aud: faultSettings('audience-mixup').audience } : {}) })
      .setProtectedHeader({ alg: 'RS256', kid: signer.kid })
      .sign(signer.key);
  };
}
