/**
 * The upstream identity providers behind "Continue with Microsoft" and "Continue with Google": two
 * OpenID Providers (oidc-provider), each on a site of its own (`login.microsoft.localhost`,
 * `accounts.google.localhost`) with sign-in screens shaped like the real ones. They know the lab's
 * accounts of their email family (the same address and password), and answer the broker as their
 * namesakes do: Microsoft words its token errors as Entra ID's AADSTS messages.
 *
 * Their faults: `upstream-code-redeemed` slows Microsoft's token answers once a code is redeemed;
 * `upstream-key-rotated` has Google sign with a key it publishes only from then on;
 * `upstream-email-unverified` has Microsoft mark addresses unverified.
 */
import './quiet-runtime-warning.ts';
import { createPublicKey, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { decodeJwt, SignJWT } from 'jose';
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { Account, AccountStore } from './accounts.ts';
import { faultSettings, type FaultSwitchboard } from './faults.ts';
import { readForm } from './http.ts';
import type { LabLog } from './log.ts';
import { OUTLOOK_DOMAINS } from './upstream.ts';
import { escapeHtml, renderChoice, renderPage, renderStep } from './views.ts';

export const UPSTREAM_NAMES = ['microsoft', 'google'] as const;
export type UpstreamName = (typeof UPSTREAM_NAMES)[number];

export interface UpstreamSpec {
  readonly name: UpstreamName;
  /** As the broker's button and messages name it. */
  readonly label: string;
  readonly host: string;
  /** The address domains whose accounts it holds. */
  readonly domains: readonly string[];
}

export const UPSTREAM_SPECS: readonly UpstreamSpec[] = [
  { name: 'microsoft', label: 'Microsoft', host: 'login.microsoft.localhost', domains: OUTLOOK_DOMAINS },
  { name: 'google', label: 'Google', host: 'accounts.google.localhost', domains: ['gmail.com'] },
];

/** The broker's registration at each upstream. */
export const BROKER_CLIENT_ID = 'authmatrix-broker';

export interface RunningUpstream {
  readonly spec: UpstreamSpec;
  readonly issuer: string;
  /** The broker's registration there. */
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope: string;
  /** For a real provider standing in (LAB_UPSTREAMS): the target profile that describes its screens. */
  readonly screensFrom?: string | undefined;
}

/** A real provider standing in for one of the lab's upstreams: nothing runs here, the broker federates to it. */
export function externalUpstream(
  spec: UpstreamSpec,
  setting: { issuer: string; clientId: string; clientSecret: string; scope: string; screensFrom: string },
): RunningUpstream {
  return { spec, ...setting, issuer: setting.issuer.replace(/\/$/, '') };
}

export interface UpstreamDeps {
  accounts: AccountStore;
  log: LabLog;
  faults: FaultSwitchboard;
  /** Where the upstream sends the browser back to the broker. */
  brokerRedirectUri: string;
}

interface Progress {
  accountId?: string;
  /** Microsoft's "Stay signed in?" answered. */
  kmsi?: boolean;
}

const signingJwk = (key: KeyObject, kid: string) => ({ ...key.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' });

/** Serves `spec`'s provider on `server`, listening on `port` (the lab starts and stops the server). */
export function startUpstream(spec: UpstreamSpec, server: Server, port: number, deps: UpstreamDeps): RunningUpstream {
  const issuer = `http://${spec.host}:${port}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const current = {
    key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
    kid: `${spec.name}-${randomBytes(4).toString('hex')}`,
  };
  /** Keys a rotation signs with (`upstream-key-rotated`): each published as it is first used, the newest last. */
  const rotated: { key: KeyObject; kid: string }[] = [];
  const { accounts, faults, log } = deps;
  const holds = (account: Account | undefined): account is Account =>
    account !== undefined && spec.domains.includes(account.email.split('@')[1] ?? '');

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: BROKER_CLIENT_ID,
        client_secret: clientSecret,
        client_name: 'authmatrix',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [deps.brokerRedirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingJwk(current.key, current.kid)] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile'],
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => false },
    ttl: { AuthorizationCode: 60, AccessToken: 3600, IdToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount(_ctx, sub) {
      const account = accounts.findById(sub);
      if (!holds(account)) return undefined;
      return {
        accountId: account.id,
        claims: () => ({
          sub: account.id,
          email: account.email,
          email_verified: !(spec.name === 'microsoft' && faults.isArmed('upstream-email-unverified')),
          name: account.email.split('@')[0],
        }),
      };
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = renderPage({
        title: `${spec.label} sign-in error`,
        body: `<h1>Sorry, but we're having trouble signing you in.</h1><p role="alert">${escapeHtml(out.error)}: ${escapeHtml(out.error_description ?? '')}</p>`,
      });
      await Promise.resolve();
    },
  });
  const grantDetails = new WeakMap<object, string>();
  provider.on('grant.error', (ctx: KoaContextWithOIDC, error: errors.OIDCProviderError) => {
    if (error.error_detail) grantDetails.set(ctx.req, error.error_detail);
  });
  provider.use(async (ctx, nextMiddleware) => {
    await nextMiddleware();
    const oidc = (ctx as KoaContextWithOIDC).oidc as KoaContextWithOIDC['oidc'] | undefined;
    if (oidc?.route === 'jwks' && spec.name === 'google' && faults.isArmed('upstream-key-rotated')) {
      const body = ctx.body as { keys: object[] };
      body.keys = [
        ...body.keys,
        ...rotated.map(({ key, kid }) => ({ ...createPublicKey(key).export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' })),
      ];
    }
    if (oidc?.route !== 'token' || ctx.method !== 'POST') return;
    const body = ctx.body as { id_token?: unknown; error?: string; error_description?: string } | undefined;
    log.write(`upstream-${spec.name}`, ctx.status < 400 ? 'upstream.token.issued' : 'upstream.token.rejected', {
      status: ctx.status,
      error: body?.error,
    });
    if (ctx.status >= 400 && body?.error && spec.name === 'microsoft')
      body.error_description = aadsts(body.error, grantDetails.get(ctx.req) ?? body.error_description ?? '');
    if (ctx.status !== 200) return;
    if (spec.name === 'google' && faults.isArmed('upstream-key-rotated') && typeof body?.id_token === 'string') {
      // A key newer than any key set fetched before this token was issued.
      const next = {
        key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
        kid: `${spec.name}-${randomBytes(4).toString('hex')}`,
      };
      rotated.push(next);
      if (rotated.length > 5) rotated.shift();
      body.id_token = await new SignJWT(decodeJwt(body.id_token)).setProtectedHeader({ alg: 'RS256', kid: next.kid }).sign(next.key);
    }
    // Redeemed, then slow to answer: a client that gives up first never sees these tokens.
    if (spec.name === 'microsoft' && faults.isArmed('upstream-code-redeemed')) await delay(faultSettings('upstream-code-redeemed').slowMs);
  });

  const progress = new Map<string, Progress>();
  const send = (res: ServerResponse, status: number, html: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  };
  const screens = upstreamScreens(spec);

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, step: string | undefined): Promise<void> => {
    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      send(res, 400, screens.expired());
      return;
    }
    if (details.uid !== uid) return send(res, 400, screens.expired());
    let state = progress.get(uid);
    if (!state) {
      if (progress.size > 5_000) progress.delete(progress.keys().next().value ?? '');
      state = {};
      progress.set(uid, state);
    }
    const sessionAccount = details.session?.accountId;
    if (req.method === 'GET') {
      // Google's chooser when it already knows who is signed in; a fresh sign-in otherwise.
      if (spec.name === 'google' && sessionAccount && !state.accountId) return send(res, 200, screens.chooser(uid));
      if (state.accountId) return send(res, 200, screens.after(uid, state));
      return send(res, 200, screens.email(uid));
    }
    const form = await readForm(req);
    const finish = async (accountId: string) => {
      progress.delete(uid);
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(typeof details.params.scope === 'string' ? details.params.scope : 'openid');
      const grantId = await grant.save();
      log.write(`upstream-${spec.name}`, 'upstream.login.succeeded', { interaction: uid });
      await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
    };
    switch (step) {
      case 'choose':
        if (form.get('choice') === 'continue' && sessionAccount) {
          state.accountId = sessionAccount;
          return send(res, 200, screens.after(uid, state));
        }
        return send(res, 200, screens.email(uid));
      case 'email': {
        const email = (form.get('email') ?? '').trim().toLowerCase();
        const account = accounts.findByEmail(email);
        if (!holds(account)) return send(res, 400, screens.email(uid, screens.unknownAccount, email));
        return send(res, 200, screens.password(uid, account.email));
      }
      case 'password': {
        const account = accounts.findByEmail(form.get('email') ?? '');
        if (!holds(account) || !accounts.verifyPassword(account, form.get('password') ?? ''))
          return send(res, 401, screens.password(uid, form.get('email') ?? '', screens.wrongPassword));
        state.accountId = account.id;
        return send(res, 200, screens.after(uid, state));
      }
      case 'kmsi':
        state.kmsi = true;
        return send(res, 200, screens.after(uid, state));
      case 'consent':
        if (!state.accountId) return send(res, 200, screens.email(uid));
        if (form.get('choice') !== 'accept') {
          progress.delete(uid);
          return provider.interactionFinished(
            req,
            res,
            { error: 'access_denied', error_description: 'the user declined to consent' },
            { mergeWithLastSubmission: false },
          );
        }
        return finish(state.accountId);
      default:
        return send(res, 405, renderPage({ title: 'Method not allowed', body: '<h1>Method not allowed</h1>' }));
    }
  };

  const callback = provider.callback();
  server.on('request', (req, res) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(choose|email|password|kmsi|consent))?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!match) return void callback(req, res);
    interaction(req, res, match[1] ?? '', match[2]).catch((error: unknown) => {
      log.write(`upstream-${spec.name}`, 'upstream.error', { error: String(error) });
      if (!res.headersSent) send(res, 500, renderPage({ title: 'Error', body: '<h1>Something went wrong</h1>' }));
    });
  });
  return {
    spec,
    issuer,
    clientId: BROKER_CLIENT_ID,
    clientSecret,
    scope: 'openid email profile',
  };
}

/** Entra ID's way of saying a token request was refused: an AADSTS code, its sentence, and trace ids. */
function aadsts(error: string, detail: string): string {
  const [code, sentence] = /consumed|already used|redeemed/i.test(detail)
    ? [
        'AADSTS54005',
        'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
      ]
    : /expired/i.test(detail)
      ? [
          'AADSTS70008',
          'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
        ]
      : error === 'invalid_client'
        ? [
            'AADSTS7000215',
            'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.',
          ]
        : /redirect/i.test(detail)
          ? ['AADSTS50011', 'The redirect URI specified in the request does not match the redirect URIs configured for the application.']
          : ['AADSTS9002313', 'Invalid request. Request is malformed or invalid.'];
  return `${code}: ${sentence} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')}`;
}

/** Each upstream's screens, in its own words (Microsoft's and Google's sign-in pages). */
function upstreamScreens(spec: UpstreamSpec) {
  const microsoft = spec.name === 'microsoft';
  const hiddenEmail = (email: string) => `<input type="hidden" name="email" value="${escapeHtml(email)}">`;
  return {
    unknownAccount: microsoft
      ? 'This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.'
      : "Couldn't find your Google Account",
    wrongPassword: microsoft
      ? "Your account or password is incorrect. If you don't remember your password, reset it now."
      : 'Wrong password. Try again or click Forgot password to reset it.',
    expired: () =>
      renderPage({
        title: spec.label,
        body: `<h1>${microsoft ? "Sorry, but we're having trouble signing you in." : 'Something went wrong'}</h1><p role="alert">This sign-in request has expired. Go back and try again.</p>`,
      }),
    chooser: (uid: string) =>
      renderChoice({
        title: 'Sign in - Google Accounts',
        heading: 'Choose an account',
        lines: ['to continue to authmatrix'],
        action: `/interaction/${uid}/choose`,
        choices: [
          { value: 'continue', label: 'Continue as the signed-in account' },
          { value: 'other', label: 'Use another account' },
        ],
      }),
    email: (uid: string, error?: string, value?: string) =>
      renderStep({
        title: microsoft ? 'Sign in to your account' : 'Sign in - Google Accounts',
        heading: 'Sign in',
        intro: microsoft ? 'to continue to authmatrix' : 'Use your Google Account',
        action: `/interaction/${uid}/email`,
        field: { name: 'email', label: microsoft ? 'Email, phone, or Skype' : 'Email or phone', type: 'email', autocomplete: 'username' },
        submit: 'Next',
        ...(error ? { error } : {}),
        ...(value ? { value } : {}),
      }),
    password: (uid: string, email: string, error?: string) =>
      renderStep({
        title: microsoft ? 'Sign in to your account' : 'Sign in - Google Accounts',
        heading: microsoft ? 'Enter password' : 'Welcome',
        intro: email,
        action: `/interaction/${uid}/password`,
        field: {
          name: 'password',
          label: microsoft ? 'Password' : 'Enter your password',
          type: 'password',
          autocomplete: 'current-password',
        },
        submit: microsoft ? 'Sign in' : 'Next',
        ...(error ? { error } : {}),
      }).replace('<label', `${hiddenEmail(email)}<label`),
    /** What follows the password: Microsoft's "Stay signed in?", then each upstream's consent. */
    after: (uid: string, state: Progress) => {
      if (microsoft && !state.kmsi)
        return renderChoice({
          title: 'Sign in to your account',
          heading: 'Stay signed in?',
          lines: ['Do this to reduce the number of times you are asked to sign in.'],
          action: `/interaction/${uid}/kmsi`,
          choices: [
            { value: 'no', label: 'No' },
            { value: 'yes', label: 'Yes' },
          ],
        });
      return microsoft
        ? renderChoice({
            title: 'Permissions requested',
            heading: 'Permissions requested',
            lines: ['authmatrix needs your permission to:', 'Sign you in and read your profile', 'View your email address'],
            action: `/interaction/${uid}/consent`,
            choices: [
              { value: 'cancel', label: 'Cancel' },
              { value: 'accept', label: 'Accept' },
            ],
          })
        : renderChoice({
            title: 'Sign in - Google Accounts',
            heading: 'Sign in to authmatrix',
            lines: ['By continuing, Google will share your name, email address and profile picture with authmatrix.'],
            action: `/interaction/${uid}/consent`,
            choices: [
              { value: 'cancel', label: 'Cancel' },
              { value: 'accept', label: 'Continue' },
            ],
          });
    },
  };
}
