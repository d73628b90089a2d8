/**
 * The identity provider as a broker: "Continue with Microsoft" / "Continue with Google". It sends
 * the browser to the upstream with a state (kept server-side and bound to the browser by a
 * SameSite=Lax cookie), redeems the upstream's code server-side through its own egress proxy,
 * checks the upstream's id_token (jose: signature against the upstream's JWKS as cached, issuer,
 * audience, nonce, times), and links the account by verified email. A hop that fails ends the
 * client's authorization request with an OAuth error in the broker's words, as brokers report
 * upstream failures to the app.
 *
 * Its faults: `upstream-form-post` (the upstream answers with a cross-site POST the Lax cookie
 * does not ride on), `broker-clock-behind` (its clock, for the id_token's times).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import type Provider from 'oidc-provider';
import { ProxyAgent, fetch as undiciFetch } from 'undici';
import type { AccountStore } from './accounts.ts';
import { contextOf } from './context.ts';
import { faultSettings, type FaultSwitchboard } from './faults.ts';
import { readForm } from './http.ts';
import type { LabLog } from './log.ts';
import { UPSTREAM_NAMES, type RunningUpstream, type UpstreamName } from './upstreams.ts';
import { escapeHtml, maskEmail, renderPage } from './views.ts';

export const FEDERATION_CALLBACK_PATH = '/federation/callback';
/** The cookie that binds a federated sign-in's state to the browser that started it. */
export const FEDERATION_STATE_COOKIE = 'authmatrix_federation';
/** How long one call to an upstream may take before the broker tries once more. */
const UPSTREAM_CALL_TIMEOUT_MS = 2_500;
/** How long the broker trusts the upstream's key set it fetched. */
const JWKS_CACHE_MS = 24 * 3600_000;
const ID_TOKEN_CLOCK_TOLERANCE_S = 60;
const MAX_PENDING = 5_000;
const PENDING_TTL_MS = 10 * 60_000;

interface Pending {
  uid: string;
  upstream: UpstreamName;
  nonce: string;
  verifier: string;
  createdAt: number;
}

interface Metadata {
  token_endpoint: string;
  jwks_uri: string;
  authorization_endpoint: string;
}

export interface BrokerDeps {
  issuer: string;
  provider: Provider;
  accounts: AccountStore;
  log: LabLog;
  faults: FaultSwitchboard;
  upstreams: readonly RunningUpstream[];
  /** The broker's egress proxy: its calls to the upstreams leave through it. */
  egressUrl: string;
}

/** A hop that failed, in the broker's words, with the OAuth error the client gets. */
class FederationFailure extends Error {
  constructor(
    readonly error: 'access_denied' | 'server_error' | 'temporarily_unavailable',
    description: string,
  ) {
    super(description);
  }
}

const isUpstreamName = (name: string | null): name is UpstreamName => (UPSTREAM_NAMES as readonly string[]).includes(name ?? '');

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export interface Broker {
  /** Sends the browser to `upstream` for interaction `uid`. */
  start(uid: string, upstream: string | null, req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The upstream's answer at the callback: links the account and sends the browser back to interaction `uid`. */
  callback(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The account the upstream vouched for in interaction `uid`, once (then forgotten). */
  takeLinked(uid: string): { accountId: string; upstream: UpstreamName } | undefined;
  /** Fetches each upstream's metadata and keys, as a broker does when it starts. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

export function createBroker(deps: BrokerDeps): Broker {
  const { faults, log, accounts } = deps;
  const dispatcher = new ProxyAgent({ uri: deps.egressUrl });
  const pending = new Map<string, Pending>();
  const linked = new Map<string, { accountId: string; upstream: UpstreamName; at: number }>();
  const metadata = new Map<UpstreamName, Promise<Metadata>>();
  const keySets = new Map<UpstreamName, { keys: JSONWebKeySet; fetchedAt: number }>();
  const upstreamNamed = (name: UpstreamName): RunningUpstream => {
    const found = deps.upstreams.find((upstream) => upstream.spec.name === name);
    if (!found) throw new Error(`no upstream ${name}`);
    return found;
  };
  const redirectUri = `${deps.issuer}${FEDERATION_CALLBACK_PATH}`;

  /** One call to an upstream through the egress, given up after its timeout and tried once more. */
  const call = async (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await undiciFetch(url, { ...init, dispatcher, signal: AbortSignal.timeout(UPSTREAM_CALL_TIMEOUT_MS) });
      } catch (error) {
        if ((error as Error).name === 'TimeoutError' && attempt < 2) continue;
        throw error;
      }
    }
  };
  const unreachable = (label: string, what: string, error: unknown) => {
    const causes: string[] = [];
    for (
      let cause = error as { message?: string; cause?: unknown } | undefined;
      cause && causes.length < 4;
      cause = cause.cause as typeof cause
    )
      if (cause.message) causes.push(cause.message);
    return new FederationFailure(
      'temporarily_unavailable',
      `could not reach ${label}'s ${what} through the broker's egress: ${causes.join(': ')}`,
    );
  };

  const metadataOf = (name: UpstreamName): Promise<Metadata> => {
    let known = metadata.get(name);
    if (!known) {
      const upstream = upstreamNamed(name);
      known = call(`${upstream.issuer}/.well-known/openid-configuration`).then(async (response) => {
        if (!response.ok) throw new Error(`discovery answered ${response.status}`);
        return (await response.json()) as Metadata;
      });
      known.catch(() => metadata.delete(name));
      metadata.set(name, known);
    }
    return known;
  };
  const keySetOf = async (name: UpstreamName) => {
    const cached = keySets.get(name);
    if (cached && Date.now() - cached.fetchedAt < JWKS_CACHE_MS) return cached;
    const response = await call((await metadataOf(name)).jwks_uri);
    if (!response.ok) throw new Error(`the JWKS answered ${response.status}`);
    const fresh = { keys: (await response.json()) as JSONWebKeySet, fetchedAt: Date.now() };
    keySets.set(name, fresh);
    return fresh;
  };

  const fail = async (entry: Pending, failure: FederationFailure, req: IncomingMessage, res: ServerResponse) => {
    log.write('broker', 'federation.failed', {
      request_id: contextOf(req)?.requestId,
      upstream: entry.upstream,
      error: failure.error,
      error_description: failure.message,
    });
    const interaction = await deps.provider.Interaction.find(entry.uid);
    const params = interaction?.params as { redirect_uri?: string; state?: string } | undefined;
    if (!interaction || !params?.redirect_uri) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(
        renderPage({
          title: 'Sign-in error',
          body: `<h1>Sign-in error</h1><p role="alert">${escapeHtml(failure.error)}: ${escapeHtml(failure.message)}</p>`,
        }),
      );
      return;
    }
    await interaction.destroy();
    const location = new URL(params.redirect_uri);
    location.searchParams.set('error', failure.error);
    location.searchParams.set('error_description', failure.message);
    if (params.state) location.searchParams.set('state', params.state);
    location.searchParams.set('iss', deps.issuer);
    res.writeHead(303, { location: location.href, 'cache-control': 'no-store' });
    res.end();
  };

  /** Redeems the code and checks the id_token: the account's verified email, or a failure in the broker's words. */
  const redeem = async (entry: Pending, code: string): Promise<string> => {
    const upstream = upstreamNamed(entry.upstream);
    const label = upstream.spec.label;
    let meta: Metadata;
    try {
      meta = await metadataOf(entry.upstream);
    } catch (error) {
      throw unreachable(label, 'discovery document', error);
    }
    let response;
    try {
      response = await call(meta.token_endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(upstream.clientId)}:${encodeURIComponent(upstream.clientSecret)}`).toString('base64')}`,
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          code_verifier: entry.verifier,
        }).toString(),
      });
    } catch (error) {
      throw unreachable(label, 'token endpoint', error);
    }
    const body = (await response.json().catch(() => ({}))) as { id_token?: string; error?: string; error_description?: string };
    if (!response.ok || !body.id_token)
      throw new FederationFailure(
        'server_error',
        `${label} refused the code exchange: ${response.status} ${body.error ?? 'no error'}${body.error_description ? ` "${body.error_description}"` : ''}`,
      );
    let keys;
    try {
      keys = await keySetOf(entry.upstream);
    } catch (error) {
      throw unreachable(label, 'JWKS', error);
    }
    const now = faults.isArmed('broker-clock-behind') ? Date.now() - faultSettings('broker-clock-behind').behindSeconds * 1000 : Date.now();
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(body.id_token, createLocalJWKSet(keys.keys), {
        issuer: upstream.issuer,
        audience: upstream.clientId,
        currentDate: new Date(now),
        clockTolerance: ID_TOKEN_CLOCK_TOLERANCE_S,
        maxTokenAge: '10 minutes',
      }));
    } catch (error) {
      const kind = (error as { code?: string }).code ?? (error as Error).name;
      const age = Math.round((Date.now() - keys.fetchedAt) / 60_000);
      throw new FederationFailure(
        'server_error',
        `${label}'s id_token failed the broker's checks: ${kind}: ${(error as Error).message}${kind === 'ERR_JWKS_NO_MATCHING_KEY' ? ` (key set cached ${age} min ago)` : ''}`,
      );
    }
    if (claims.nonce !== entry.nonce)
      throw new FederationFailure('server_error', `${label}'s id_token failed the broker's checks: nonce mismatch`);
    const email = typeof claims.email === 'string' ? claims.email : '';
    if (claims.email_verified !== true)
      throw new FederationFailure(
        'access_denied',
        `account linking refused: ${label} does not mark ${maskEmail(email)} as verified (email_verified is ${JSON.stringify(claims.email_verified ?? null)}); accounts are linked by verified email only`,
      );
    return email;
  };

  return {
    async start(uid, name, req, res) {
      if (!isUpstreamName(name)) {
        res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
        res.end(renderPage({ title: 'Sign-in error', body: '<h1>Sign-in error</h1><p role="alert">unknown identity provider</p>' }));
        return;
      }
      const upstream = upstreamNamed(name);
      const state = randomBytes(16).toString('base64url');
      const entry: Pending = {
        uid,
        upstream: name,
        nonce: randomBytes(16).toString('base64url'),
        verifier: randomBytes(32).toString('base64url'),
        createdAt: Date.now(),
      };
      for (const [key, old] of pending) if (pending.size >= MAX_PENDING || Date.now() - old.createdAt > PENDING_TTL_MS) pending.delete(key);
      pending.set(state, entry);
      // Where the upstream's discovery says (fetched as the broker started); the lab's own answer at /auth.
      let known: Metadata;
      try {
        known = await metadataOf(name);
      } catch (error) {
        const entry = { uid, upstream: name, nonce: '', verifier: '', createdAt: Date.now() };
        await fail(entry, unreachable(upstream.spec.label, 'discovery document', error), req, res);
        return;
      }
      const authorize = new URL(known.authorization_endpoint);
      authorize.search = new URLSearchParams({
        client_id: upstream.clientId,
        response_type: 'code',
        scope: upstream.scope,
        redirect_uri: redirectUri,
        state,
        nonce: entry.nonce,
        code_challenge: createHash('sha256').update(entry.verifier).digest('base64url'),
        code_challenge_method: 'S256',
        ...(faults.isArmed('upstream-form-post') ? { response_mode: 'form_post' } : {}),
      }).toString();
      log.write('broker', 'federation.started', { request_id: contextOf(req)?.requestId, interaction: uid, upstream: name });
      res.writeHead(303, {
        location: authorize.href,
        'set-cookie': `${FEDERATION_STATE_COOKIE}=${state}; Path=${FEDERATION_CALLBACK_PATH}; HttpOnly; SameSite=Lax; Max-Age=600`,
        'cache-control': 'no-store',
      });
      res.end();
    },

    async callback(req, res) {
      const params = req.method === 'POST' ? await readForm(req) : new URL(req.url ?? '/', deps.issuer).searchParams;
      const state = params.get('state') ?? '';
      const entry = pending.get(state);
      if (!entry) {
        res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(
          renderPage({
            title: 'Sign-in error',
            body: '<h1>Sign-in error</h1><p role="alert">invalid_request: the state of this federated sign-in is unknown or was already used; start signing in again</p>',
          }),
        );
        return;
      }
      pending.delete(state);
      const label = upstreamNamed(entry.upstream).spec.label;
      const bound = cookieValue(req, FEDERATION_STATE_COOKIE);
      try {
        if (bound !== state)
          throw new FederationFailure(
            'access_denied',
            bound === undefined
              ? `invalid state: the state cookie was missing on the return from ${label} (${req.method === 'POST' ? 'a cross-site form_post' : 'a redirect'} that did not carry it)`
              : `invalid state: the state cookie does not match the state ${label} returned`,
          );
        const upstreamError = params.get('error');
        if (upstreamError)
          throw new FederationFailure(
            'access_denied',
            `${label} answered ${upstreamError}: ${params.get('error_description') ?? 'no description'}`,
          );
        const email = await redeem(entry, params.get('code') ?? '');
        const account = accounts.findByEmail(email);
        if (!account)
          throw new FederationFailure(
            'access_denied',
            `account linking refused: no account has the address ${maskEmail(email)} that ${label} vouched for`,
          );
        for (const [key, old] of linked) if (linked.size >= MAX_PENDING || Date.now() - old.at > PENDING_TTL_MS) linked.delete(key);
        linked.set(entry.uid, { accountId: account.id, upstream: entry.upstream, at: Date.now() });
        log.write('broker', 'federation.linked', {
          request_id: contextOf(req)?.requestId,
          interaction: entry.uid,
          upstream: entry.upstream,
        });
        res.writeHead(303, {
          location: `/interaction/${entry.uid}/federated`,
          'set-cookie': `${FEDERATION_STATE_COOKIE}=; Path=${FEDERATION_CALLBACK_PATH}; HttpOnly; SameSite=Lax; Max-Age=0`,
          'cache-control': 'no-store',
        });
        res.end();
      } catch (error) {
        if (!(error instanceof FederationFailure)) throw error;
        await fail(entry, error, req, res);
      }
    },

    takeLinked(uid) {
      const found = linked.get(uid);
      linked.delete(uid);
      return found && { accountId: found.accountId, upstream: found.upstream };
    },

    async warm() {
      await Promise.all(UPSTREAM_NAMES.map((name) => keySetOf(name).catch(() => undefined)));
    },

    close: () => dispatcher.close(),
  };
}
