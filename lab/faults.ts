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
}

export const FAULT_CATALOG = [
  {
    id: 'replica-lag',
    models: 'web token service reads a replica the authorization code has not reached yet (mobile/web desync)',
    hurts: 'web clients; not the iOS app, whose token calls go to the primary',
  },
] as const satisfies readonly FaultSpec[];

export type FaultId = (typeof FAULT_CATALOG)[number]['id'];

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

  /** Validates every id before changing anything, so a bad request leaves the switchboard as it was. */
  apply(change: { arm?: readonly string[]; disarm?: readonly string[] }): void {
    const all = [...(change.arm ?? []), ...(change.disarm ?? [])];
    const unknown = all.filter((id) => !isFaultId(id));
    if (unknown.length) throw new UnknownFaultError(unknown);
    for (const id of change.disarm ?? []) this.#armed.delete(id as FaultId);
    for (const id of change.arm ?? []) this.#armed.add(id as FaultId);
    this.#notify();
  }

  set(ids: readonly string[]): void {
    const unknown = ids.filter((id) => !isFaultId(id));
    if (unknown.length) throw new UnknownFaultError(unknown);
    this.#armed.clear();
    for (const id of ids) this.#armed.add(id as FaultId);
    this.#notify();
  }

  onChange(listener: (armed: ReadonlySet<FaultId>) => void): void {
    this.#listeners.add(listener);
  }

  #notify(): void {
    for (const listener of this.#listeners) listener(this.#armed);
  }
}
