/**
 * Test accounts made to order: an address at the chosen provider's domain, a phone or none, a plan,
 * a TOTP secret or none. Generated with faker; unique per test, so tests never share an account.
 */
import { randomBytes } from 'node:crypto';
import { faker } from '@faker-js/faker';
import { Secret } from 'otpauth';
import type { AccountSpec, Method, Plan } from '../matrix/axes.ts';
import { PROVIDER_DOMAINS } from './account.ts';

export interface TestAccount {
  email: string;
  /** A user name, where the provider asks for one instead of the email address. */
  login?: string | undefined;
  password: string;
  phone: string | null;
  plan: Plan;
  totpSecret: string | null;
  /** How it signs in: its password here (default), or through its email provider's upstream. */
  method?: Method | undefined;
  /** The upstream a federated account signs in through, when not the one for its email provider. */
  upstream?: string | undefined;
}

export { PROVIDER_DOMAINS, providerOf } from './account.ts';

/** A fresh account for `spec`. The random suffix keeps addresses unique across runs against one lab. */
export function generateAccount(spec: AccountSpec): TestAccount {
  const domains = PROVIDER_DOMAINS[spec.emailProvider];
  const domain = faker.helpers.arrayElement(domains);
  const local = faker.internet
    .username({ firstName: faker.person.firstName(), lastName: faker.person.lastName() })
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '')
    .slice(0, 24);
  const suffix = randomBytes(4).toString('hex');
  return {
    email: `${local || 'user'}.${suffix}@${domain}`,
    password: `${faker.internet.password({ length: 14 })}-${randomBytes(3).toString('hex')}`,
    phone: spec.phone === 'bound' ? `+1555${faker.string.numeric(7)}` : null,
    plan: spec.plan,
    totpSecret: spec.mfa === 'totp' ? new Secret({ size: 20 }).base32 : null,
    method: spec.method,
  };
}
