/**
 * One token store shared by the primary and the replica token node.
 *
 * Every record remembers when it was written. The primary reads everything; the replica only sees
 * records older than the replication lag, which is how a replica that "has not caught up" behaves:
 * a code minted on the primary a moment ago is simply not there yet.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { faultSettings, type FaultSwitchboard } from './faults.ts';

export type NodeName = 'primary' | 'replica';

const CODE_PREFIX = 'AuthorizationCode:';
const EXPIRED_CODE_MEMORY_MS = 60_000;

interface StoredRecord {
  payload: AdapterPayload;
  writtenAt: number;
  expiresAt: number | undefined;
}

export class ReplicatedStore {
  readonly #records = new Map<string, StoredRecord>();
  readonly #index = new Map<string, string>();
  readonly #now: () => number;
  #lagMs: number;
  /** When set, authorization codes live this long (ms), whatever lifetime the provider gave them. */
  codeLifetimeMs: number | undefined;

  constructor(lagMs = 0, now: () => number = Date.now) {
    this.#lagMs = lagMs;
    this.#now = now;
  }

  get lagMs(): number {
    return this.#lagMs;
  }

  set lagMs(value: number) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`replication lag must be a non-negative number of ms, got ${value}`);
    this.#lagMs = value;
  }

  /**
   * Follows the switchboard: `replica-lag` holds the replica at least its catalogued lag behind
   * (or `baseLagMs`, if more); `code-ttl-short` cuts the code lifetime.
   */
  followFaults(faults: FaultSwitchboard, baseLagMs: number): void {
    const apply = () => {
      this.lagMs = faults.isArmed('replica-lag') ? Math.max(baseLagMs, faultSettings('replica-lag').lagMs) : baseLagMs;
      this.codeLifetimeMs = faults.isArmed('code-ttl-short') ? faultSettings('code-ttl-short').codeLifetimeMs : undefined;
    };
    apply();
    faults.onChange(apply);
  }

  get size(): number {
    return this.#records.size;
  }

  write(key: string, payload: AdapterPayload, expiresInSeconds: number | undefined): void {
    const now = this.#now();
    const lifetimeMs =
      key.startsWith(CODE_PREFIX) && this.codeLifetimeMs !== undefined
        ? this.codeLifetimeMs
        : expiresInSeconds === undefined
          ? undefined
          : expiresInSeconds * 1000;
    this.#records.set(key, { payload, writtenAt: now, expiresAt: lifetimeMs === undefined ? undefined : now + lifetimeMs });
  }

  read(key: string, node: NodeName): AdapterPayload | undefined {
    const record = this.#records.get(key);
    if (!record) return undefined;
    const now = this.#now();
    if (record.expiresAt !== undefined && record.expiresAt <= now) {
      // An expired code is still known for a while, marked expired, so that its exchange fails
      // as "expired" rather than "not found", as it does on a provider that keeps expired codes.
      if (key.startsWith(CODE_PREFIX) && now - record.expiresAt < EXPIRED_CODE_MEMORY_MS) {
        return { ...record.payload, exp: Math.min(record.payload.exp ?? Infinity, Math.floor(now / 1000)) };
      }
      this.#records.delete(key);
      return undefined;
    }
    if (node === 'replica' && now - record.writtenAt < this.#lagMs) return undefined;
    return record.payload;
  }

  delete(key: string): void {
    this.#records.delete(key);
  }

  setIndex(key: string, target: string): void {
    this.#index.set(key, target);
  }

  getIndex(key: string): string | undefined {
    return this.#index.get(key);
  }

  /** Keys of every live record of one model, for grant-wide revocation. */
  keysWhere(predicate: (payload: AdapterPayload) => boolean): string[] {
    const out: string[] = [];
    for (const [key, record] of this.#records) if (predicate(record.payload)) out.push(key);
    return out;
  }

  clear(): void {
    this.#records.clear();
    this.#index.clear();
  }
}

/** An oidc-provider adapter class bound to one node's view of the shared store. */
export function adapterFor(store: ReplicatedStore, node: NodeName): new (model: string) => Adapter {
  return class NodeAdapter implements Adapter {
    readonly #model: string;

    constructor(model: string) {
      this.#model = model;
    }

    #key(id: string): string {
      return `${this.#model}:${id}`;
    }

    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      store.write(this.#key(id), payload, expiresIn);
      if (payload.uid) store.setIndex(`uid:${payload.uid}`, id);
      if (payload.userCode) store.setIndex(`userCode:${payload.userCode}`, id);
      return Promise.resolve();
    }

    find(id: string): Promise<AdapterPayload | undefined> {
      return Promise.resolve(store.read(this.#key(id), node));
    }

    findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const id = store.getIndex(`uid:${uid}`);
      return Promise.resolve(id === undefined ? undefined : store.read(this.#key(id), node));
    }

    findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const id = store.getIndex(`userCode:${userCode}`);
      return Promise.resolve(id === undefined ? undefined : store.read(this.#key(id), node));
    }

    consume(id: string): Promise<void> {
      const payload = store.read(this.#key(id), 'primary');
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      return Promise.resolve();
    }

    destroy(id: string): Promise<void> {
      store.delete(this.#key(id));
      return Promise.resolve();
    }

    revokeByGrantId(grantId: string): Promise<void> {
      for (const key of store.keysWhere((payload) => payload.grantId === grantId)) store.delete(key);
      return Promise.resolve();
    }
  };
}
