/**
 * Accounts known to the lab's identity provider. Passwords are kept as scrypt hashes; TOTP secrets
 * stay server-side and are never returned by the admin API.
 */
import { randomUUID, scryptSync, timingSafeEqual, randomBytes } from 'node:crypto';
import { Secret } from 'otpauth';
import { z } from 'zod';

export const PLANS = ['plus', 'free'] as const;
export type Plan = (typeof PLANS)[number];
/** How an account signs in: with the lab's own password, or through its email provider's upstream (federated). */
export const SIGN_IN_METHODS = ['password', 'federated'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

const base32Secret = z.string().refine((value) => {
  try {
    return Secret.fromBase32(value).bytes.length >= 10;
  } catch {
    return false;
  }
}, 'must be a base32 TOTP secret of at least 16 characters (RFC 4648 alphabet A-Z, 2-7)');

export const NewAccountSchema = z.strictObject({
  email: z.email('must be an email address such as ada@outlook.com').transform((value) => value.toLowerCase()),
  password: z.string().min(8, 'must be at least 8 characters'),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +14155550123, or null')
    .nullable(),
  plan: z.enum(PLANS),
  totpSecret: base32Secret.nullable(),
  method: z.enum(SIGN_IN_METHODS, 'must be password or federated').default('password'),
});
export type NewAccount = z.input<typeof NewAccountSchema>;

export interface Account {
  readonly id: string;
  readonly email: string;
  readonly phone: string | null;
  readonly plan: Plan;
  readonly totpSecret: string | null;
  /** federated: the account has no password here; it signs in through its email provider's upstream. */
  readonly method: SignInMethod;
  readonly createdAt: string;
}

/** What the admin API shows of an account: no password, no TOTP secret. */
export interface AccountView {
  id: string;
  email: string;
  phone: string | null;
  plan: Plan;
  mfa: 'totp' | 'none';
  method: SignInMethod;
  createdAt: string;
}

export class DuplicateAccountError extends Error {
  constructor(email: string) {
    super(`an account for ${email} already exists; use another address`);
    this.name = 'DuplicateAccountError';
  }
}

interface StoredAccount extends Account {
  readonly salt: Buffer;
  readonly hash: Buffer;
}

// Low scrypt cost: the lab hashes so that it never holds a password in clear, not to resist cracking.
const SCRYPT = { N: 1024, r: 8, p: 1 } as const;

export class AccountStore {
  readonly #byId = new Map<string, StoredAccount>();
  readonly #byEmail = new Map<string, StoredAccount>();

  create(input: z.output<typeof NewAccountSchema>): Account {
    if (this.#byEmail.has(input.email)) throw new DuplicateAccountError(input.email);
    const salt = randomBytes(16);
    const account: StoredAccount = {
      id: randomUUID(),
      email: input.email,
      phone: input.phone,
      plan: input.plan,
      totpSecret: input.totpSecret,
      method: input.method,
      createdAt: new Date().toISOString(),
      salt,
      hash: scryptSync(input.password, salt, 32, SCRYPT),
    };
    this.#byId.set(account.id, account);
    this.#byEmail.set(account.email, account);
    return account;
  }

  findById(id: string): Account | undefined {
    return this.#byId.get(id);
  }

  findByEmail(email: string): Account | undefined {
    return this.#byEmail.get(email.trim().toLowerCase());
  }

  verifyPassword(account: Account, password: string): boolean {
    const stored = this.#byId.get(account.id);
    if (!stored) return false;
    return timingSafeEqual(scryptSync(password, stored.salt, 32, SCRYPT), stored.hash);
  }

  list(): AccountView[] {
    return [...this.#byId.values()].map(viewOf);
  }

  get size(): number {
    return this.#byId.size;
  }
}

export function viewOf(account: Account): AccountView {
  return {
    id: account.id,
    email: account.email,
    phone: account.phone,
    plan: account.plan,
    mfa: account.totpSecret ? 'totp' : 'none',
    method: account.method,
    createdAt: account.createdAt,
  };
}
