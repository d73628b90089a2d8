/**
 * The worked example from the real world: an identity provider made of Debian's packages — Django's
 * login page, django-otp's token check for accounts with an authenticator, django-oauth-toolkit's
 * consent and OpenID Connect endpoints — set up by idp.py beside this file, with the small PKCE
 * client of examples/spa-client.ts in front.
 *
 *   npm run example:django-idp      identity provider on http://127.0.0.1:4920 (issuer …/o),
 *                                   client app on http://localhost:4921 (EXAMPLE_PORT moves both)
 *
 * Needs Debian's python3-django, python3-django-oauth-toolkit, python3-django-otp and
 * python3-django-cors-headers (`.ci/run` installs them). Accounts are examples/accounts.json, the
 * suite's ACCOUNTS_FILE. EXAMPLE_FAULTS=outlook-invalid-grant makes the token endpoint
 * answer invalid_grant for Outlook-family addresses. Everything binds to 127.0.0.1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopProcess } from '../../scripts/processes.ts';
import { runExample, untilDiscoveryAnswers } from '../run-example.ts';
import { startSpaClient } from '../spa-client.ts';

export const PYTHON = '/usr/bin/python3';
export const DEBIAN_PACKAGES = ['python3-django', 'python3-django-oauth-toolkit', 'python3-django-otp', 'python3-django-cors-headers'];
export const INSTALL_COMMAND = `apt-get install -y --no-install-recommends ${DEBIAN_PACKAGES.join(' ')}`;
export const EXAMPLE_FAULTS = ['outlook-invalid-grant'] as const;
export type DjangoFault = (typeof EXAMPLE_FAULTS)[number];

const IDP = fileURLToPath(new URL('./idp.py', import.meta.url));
const ACCOUNTS = fileURLToPath(new URL('../accounts.json', import.meta.url));

/** Why the example cannot run on this machine, with the command that fixes it; undefined when it can. */
export function djangoIdpUnavailable(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import django, oauth2_provider, django_otp, corsheaders, jwcrypto'], { encoding: 'utf8' });
  if (probe.status === 0) return undefined;
  return `the Django example needs Debian's ${DEBIAN_PACKAGES.join(', ')} (${(probe.stderr || String(probe.error ?? '')).trim().split('\n').at(-1) ?? 'not found'}); install them with: ${INSTALL_COMMAND}`;
}

export interface DjangoIdp {
  issuer: string;
  appUrl: string;
  close(): Promise<void>;
}

/** A broker that federates to the example (the lab, LAB_UPSTREAMS): registered as the confidential client `authmatrix-broker`. */
export interface BrokerRegistration {
  redirectUri: string;
  clientSecret: string;
}

export async function startDjangoIdp(port: number, faults: readonly DjangoFault[] = [], broker?: BrokerRegistration): Promise<DjangoIdp> {
  const unavailable = djangoIdpUnavailable();
  if (unavailable) throw new Error(unavailable);
  const app = await startSpaClient(port + 1, `http://127.0.0.1:${port}/o`);
  const child = spawn(PYTHON, [IDP, String(port), new URL(app.url).origin, ACCOUNTS, faults.join(',')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      PYTHONDONTWRITEBYTECODE: '1',
      ...(broker ? { BROKER_REDIRECT_URI: broker.redirectUri, BROKER_CLIENT_SECRET: broker.clientSecret } : {}),
    },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4_000)));
  const issuer = `http://127.0.0.1:${port}/o`;
  const close = async () => {
    await Promise.all([stopProcess(child), app.close()]);
  };
  // Ready when discovery answers: migrations and accounts are made before the server listens.
  await untilDiscoveryAnswers(issuer, {
    what: 'the Django example',
    timeoutMs: 60_000,
    intervalMs: 250,
    failure: () => (child.exitCode === null ? undefined : `the Django example exited with ${child.exitCode}`),
    output: () => stderr,
    close,
  });
  return { issuer, appUrl: app.url, close };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runExample({ defaultPort: 4920, faults: EXAMPLE_FAULTS, start: startDjangoIdp });
}
