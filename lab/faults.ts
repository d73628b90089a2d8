/**
 * The fault switchboard: named regressions the lab can simulate, each off by default.
 * The catalog (what each fault models and whom it should hurt) is data; the behaviour lives in the
 * component the fault changes, which asks the switchboard whether it is armed.
 */
export interface FaultSpec {
  readonly id: string;
  /** The bad deploy this fault models. */
  readonly models: string;
  /** The cells it should turn red. */
  readonly hurts: string;
  /** The numbers the fault sets, read by the component it changes. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

export const FAULT_CATALOG = [
  {
    id: 'replica-lag',
    models:
      'web token calls are served by a replica the authorization code has not reached yet (mobile/web desync); the replica answers invalid_grant "authorization code not found"',
    hurts:
      'web clients (browser profiles and the desktop CLI); not the iOS app, whose token calls go through the mobile gateway to the primary',
    /** How far behind the replica is, unless LAB_REPLICA_LAG_MS says more. */
    settings: { lagMs: 30_000 },
  },
  {
    id: 'outlook-verify-timeout',
    models:
      'a new upstream email-verification check on token issuance for Outlook-family addresses, whose upstream answers slower than the check waits: 503 temporarily_unavailable',
    hurts: 'accounts at outlook.com, hotmail.com and live.com, on every client',
  },
  {
    id: 'no-phone-risk-reject',
    models:
      'a risk policy that refuses token issuance to accounts with no bound phone: invalid_grant "risk policy rejected token issuance"',
    hurts: 'accounts without a phone, on every client',
  },
  {
    id: 'client-clock-strict',
    models: "the web app's id_token leeway cut to 0 s",
    hurts: 'browser profiles whose clock is off at all (ahead-90s, behind-90s, ahead-4m); not synced clocks, not native clients',
  },
  {
    id: 'idp-clock-ahead',
    models: 'the web token service (the replica) runs 10 minutes fast, so its id_tokens are issued in the future',
    hurts: 'web clients (browser profiles and the desktop CLI) whose clocks are right; not the iOS app',
    settings: { aheadSeconds: 600 },
  },
  {
    id: 'edge-west-broken',
    models:
      'the edge-west entry point strips the code field from token requests (a body-rewriting rule gone wrong): invalid_request "missing required parameter"',
    hurts: 'browser cells on the edge-west network path; native clients tunnel through it (CONNECT), out of the rule’s reach',
  },
  {
    id: 'state-cookie-strict',
    models:
      "the web app's login-state cookie set SameSite=Strict, so it is not sent on the cross-site redirect back from the identity provider",
    hurts: 'browser profiles (the web app); not native clients',
  },
  {
    id: 'stale-state-preferred',
    models: "the web app takes the oldest pending login attempt instead of the one the redirect's state names",
    hurts: 'browser cells with a stale-login cookie condition',
  },
  {
    id: 'plus-claims-error',
    models: 'the subscription claims lookup fails during token issuance: 500 server_error "subscription claims lookup failed"',
    hurts: 'Plus accounts, on every client',
  },
  {
    id: 'code-ttl-short',
    models:
      'the authorization code lifetime cut to 800 ms: shorter than a browser on a slow path takes to bring the code back to the app and exchange it, longer than a direct one takes',
    hurts:
      'browser profiles on the edge-west network path (each request there takes 200 ms longer); native clients bring the code back in two requests and stay within it',
    settings: { codeLifetimeMs: 800 },
  },
  {
    id: 'signing-key-unpublished',
    models:
      'a key rotation on the web token service (the replica) that signs id_tokens with its new key before the JWKS publishes it: the JWKS lists only the old key',
    hurts:
      'web clients (browser profiles and the desktop CLI), which verify the signature against the JWKS; not the iOS app, whose tokens come from the primary',
  },
  {
    id: 'audience-mixup',
    models:
      "a client map pushed wrong to the web token service (the replica): its id_tokens name the iOS app's client id as their audience",
    hurts: 'web clients (browser profiles and the desktop CLI), which check aud; not the iOS app, whose tokens come from the primary',
    settings: { audience: 'authmatrix-ios' },
  },
  {
    id: 'outlook-verify-hang',
    models:
      'the upstream email-verification check on token issuance for Outlook-family addresses deployed without its timeout, against an upstream that stopped answering: their token requests get no answer (the lab holds each until the client gives up, at most 90 s)',
    hurts: 'accounts at outlook.com, hotmail.com and live.com, on every client; reported as token_exchange_failed (no-response)',
    settings: { holdMs: 90_000 },
  },
  {
    id: 'upstream-code-redeemed',
    models:
      "Microsoft's token endpoint slows to 3 s after redeeming a code; the broker's upstream call gives up after 2.5 s and retries the same code, which Microsoft has redeemed: invalid_grant AADSTS54005",
    hurts: 'federated sign-ins of Outlook-family accounts (through Microsoft), on every client',
    settings: { slowMs: 3_000 },
  },
  {
    id: 'upstream-key-rotated',
    models:
      "Google rotates its signing key as it issues each id_token, publishing the new key only then; the broker's cached JWKS (fetched as it started, refreshed daily, not on an unknown kid) does not have it: the id_token's signature cannot be checked",
    hurts: 'federated sign-ins of Gmail accounts (through Google), on every client',
  },
  {
    id: 'broker-clock-behind',
    models:
      "the broker's clock runs 5 minutes slow: the upstreams' id_tokens look issued in the future (iat ahead of its clock, past its 60 s tolerance), and it refuses them",
    hurts: 'federated sign-ins, through either upstream, on every client',
    settings: { behindSeconds: 300 },
  },
  {
    id: 'upstream-form-post',
    models:
      "the broker asks the upstreams for response_mode=form_post while its state cookie stays SameSite=Lax: the upstream's cross-site POST back carries no broker cookie, and the broker cannot match the state",
    hurts:
      'federated sign-ins, through either upstream, on every client (every browser withholds a SameSite=Lax cookie from a cross-site POST)',
  },
  {
    id: 'upstream-email-unverified',
    models:
      'Microsoft stops marking email addresses verified (email_verified false, as an app registration that drops the claim does); the broker links accounts by verified email only and refuses',
    hurts: 'federated sign-ins of Outlook-family accounts (through Microsoft), on every client',
  },
  {
    id: 'broker-egress-broken',
    models:
      "the broker's egress proxy refuses its calls to the upstreams (502): the browser reaches both upstreams, the broker cannot redeem their codes",
    hurts: 'federated sign-ins, through either upstream, on every client',
  },
  {
    id: 'rate-limit-tight',
    models: 'the token endpoint rate limit cut to 1 exchange a minute per client address: 429 rate_limited',
    hurts: 'any cell once the limit is spent; must be reported as rate_limited, never token_exchange_failed',
    settings: { limit: { capacity: 1, refillPerMinute: 1 } },
  },
] as const satisfies readonly FaultSpec[];

export type FaultId = (typeof FAULT_CATALOG)[number]['id'];

type CatalogEntry<Id extends FaultId> = Extract<(typeof FAULT_CATALOG)[number], { id: Id }>;

/** The numbers a fault sets (its catalog entry's `settings`). */
export function faultSettings<Id extends FaultId>(id: Id): CatalogEntry<Id> extends { settings: infer S } ? S : never {
  const entry = FAULT_CATALOG.find((fault) => fault.id === id) as FaultSpec;
  return entry.settings as CatalogEntry<Id> extends { settings: infer S } ? S : never;
}

export const KNOWN_FAULT_IDS: readonly string[] = FAULT_CATALOG.map((fault) => fault.id);

export class UnknownFaultError extends Error {
  readonly unknown: readonly string[];
  constructor(unknown: readonly string[]) {
    super(
      `unknown fault id${unknown.length > 1 ? 's' : ''} ${unknown.map((id) => JSON.stringify(id)).join(', ')}; known faults: ${KNOWN_FAULT_IDS.join(', ')}`,
    );
    this.name = 'UnknownFaultError';
    this.unknown = unknown;
  }
}

export function isFaultId(id: string): id is FaultId {
  return KNOWN_FAULT_IDS.includes(id);
}

/** Parses `id1,id2` (as in LAB_FAULTS); throws UnknownFaultError naming every unknown id. */
export function parseFaultList(text: string | undefined): FaultId[] {
  const ids = (text ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !isFaultId(id));
  if (unknown.length) throw new UnknownFaultError(unknown);
  return [...new Set(ids)] as FaultId[];
}

export class FaultSwitchboard {
  readonly #armed = new Set<FaultId>();
  readonly #listeners = new Set<(armed: ReadonlySet<FaultId>) => void>();

  constructor(initial: readonly FaultId[] = []) {
    for (const id of initial) this.#armed.add(id);
  }

  isArmed(id: FaultId): boolean {
    return this.#armed.has(id);
  }

  get armed(): FaultId[] {
    return [...this.#armed].sort();
  }

  /**
   * Replaces the armed set with `set` (when given), then disarms and arms. Every id is checked
   * first, so a request with one bad id leaves the switchboard as it was.
   */
  apply(change: {
    set?: readonly string[] | undefined;
    arm?: readonly string[] | undefined;
    disarm?: readonly string[] | undefined;
  }): void {
    const all = [...(change.set ?? []), ...(change.arm ?? []), ...(change.disarm ?? [])];
    const unknown = all.filter((id) => !isFaultId(id));
    if (unknown.length) throw new UnknownFaultError([...new Set(unknown)]);
    if (change.set) this.#armed.clear();
    for (const id of change.set ?? []) this.#armed.add(id as FaultId);
    for (const id of change.disarm ?? []) this.#armed.delete(id as FaultId);
    for (const id of change.arm ?? []) this.#armed.add(id as FaultId);
    this.#notify();
  }

  set(ids: readonly string[]): void {
    this.apply({ set: ids });
  }

  onChange(listener: (armed: ReadonlySet<FaultId>) => void): void {
    this.#listeners.add(listener);
  }

  #notify(): void {
    for (const listener of this.#listeners) listener(this.#armed);
  }
}
