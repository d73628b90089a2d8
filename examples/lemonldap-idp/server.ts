/**
 * A third login not written for the suite: LemonLDAP::NG 2.16's portal as Debian ships it — its
 * login form over its DBI user backend, its own TOTP second factor for enrolled accounts, its
 * OpenID Connect issuer with its consent page — run under starman, with the small PKCE client of
 * examples/spa-client.ts in front.
 *
 *   npm run example:lemonldap-idp   identity provider on http://127.0.0.1:4930 (the issuer),
 *                                   client app on http://localhost:4931 (EXAMPLE_PORT moves both)
 *
 * Needs Debian's lemonldap-ng and starman, and Perl modules the portal package only recommends
 * (DEBIAN_PACKAGES; `.ci/run` installs them). Everything LemonLDAP::NG reads — its ini, its configuration, its user database,
 * its sessions — is made afresh in a temporary folder from examples/accounts.json, so nothing
 * under /etc or /var/lib is used. EXAMPLE_FAULTS=outlook-invalid-grant loads the portal plugin
 * beside this file that refuses Outlook-family codes at the token endpoint. Everything binds to
 * 127.0.0.1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopProcess } from '../../scripts/processes.ts';
import { runExample, untilDiscoveryAnswers } from '../run-example.ts';
import { startSpaClient } from '../spa-client.ts';

// Besides the portal and its server: what Debian's portal package only recommends or suggests
// but this set-up loads — TOTP (Digest::HMAC, Convert::Base32), the captcha module the portal
// always loads (GD::SecurityImage over Image::Magick), the OpenID Connect issuer (String::Random,
// IO::String) and the DBI backend's SQLite driver.
export const DEBIAN_PACKAGES = [
  'lemonldap-ng',
  'starman',
  'libdigest-hmac-perl',
  'libconvert-base32-perl',
  'libgd-securityimage-perl',
  'libimage-magick-perl',
  'libstring-random-perl',
  'libio-string-perl',
  'libdbd-sqlite3-perl',
];
export const INSTALL_COMMAND = `apt-get install -y --no-install-recommends ${DEBIAN_PACKAGES.join(' ')}`;
export const EXAMPLE_FAULTS = ['outlook-invalid-grant'] as const;
export type LemonldapFault = (typeof EXAMPLE_FAULTS)[number];

const PERL = '/usr/bin/perl';
const STARMAN = '/usr/bin/starman';
const HERE = fileURLToPath(new URL('.', import.meta.url));
const ACCOUNTS = fileURLToPath(new URL('../accounts.json', import.meta.url));
/** One module for each of DEBIAN_PACKAGES, in its order: loading them all is the check that they are installed. */
const MODULES = [
  'Lemonldap::NG::Portal::Main',
  'Starman',
  'Digest::HMAC_SHA1',
  'Convert::Base32',
  'GD::SecurityImage',
  'Image::Magick',
  'String::Random',
  'IO::String',
  'DBD::SQLite',
];

/** Why the example cannot run on this machine, with the command that fixes it; undefined when it can. */
export function lemonldapIdpUnavailable(): string | undefined {
  const probe = spawnSync(PERL, [...MODULES.flatMap((module) => ['-M' + module]), '-e', '1'], { encoding: 'utf8' });
  const missing = probe.status === 0 ? undefined : (probe.stderr || String(probe.error ?? '')).trim().split('\n')[0] || 'not found';
  const reason = missing ?? (spawnSync(STARMAN, ['--version']).status === 0 ? undefined : `${STARMAN} does not run`);
  if (reason === undefined) return undefined;
  return `the LemonLDAP::NG example needs Debian's ${DEBIAN_PACKAGES.join(', ')} (${reason}); install them with: ${INSTALL_COMMAND}`;
}

export interface LemonldapIdp {
  issuer: string;
  appUrl: string;
  close(): Promise<void>;
}

/** LemonLDAP::NG's configuration for this example: its own keys, the SPA as a public PKCE client. */
function configuration(options: { issuer: string; data: string; redirectUri: string; faults: readonly LemonldapFault[] }) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sessions = (folder: string) => ({ Directory: folder, LockDirectory: path.join(folder, 'lock') });
  return {
    cfgNum: 1,
    cfgAuthor: 'authmatrix example',
    cfgDate: String(Math.floor(Date.now() / 1000)),
    cfgVersion: '2.16.1',
    key: randomBytes(24).toString('base64'),
    portal: `${options.issuer}/`,
    // A cookie for the portal's own host: the browser keeps a Domain=127.0.0.1 cookie for 127.0.0.1.
    domain: '127.0.0.1',
    cookieName: 'lemonldap',
    securedCookie: 0,
    reloadUrls: {},
    // Per host, as the handler inside the portal reads them (its defaults are not per host and fail).
    locationRules: { '127.0.0.1': { default: 'accept' } },
    exportedHeaders: {},
    // Every starman worker reads sessions from the same folders, so none keeps a local copy.
    localSessionStorage: '',
    globalStorage: 'Apache::Session::File',
    globalStorageOptions: sessions(path.join(options.data, 'sessions')),
    persistentStorage: 'Apache::Session::File',
    persistentStorageOptions: sessions(path.join(options.data, 'psessions')),
    authentication: 'DBI',
    userDB: 'Same',
    passwordDB: 'Null',
    registerDB: 'Null',
    dbiAuthChain: `dbi:SQLite:dbname=${path.join(options.data, 'users.sqlite')}`,
    dbiAuthUser: '',
    dbiAuthPassword: '',
    dbiAuthTable: 'users',
    dbiAuthLoginCol: 'login',
    dbiAuthPasswordCol: 'password',
    dbiAuthPasswordHash: '',
    dbiMailCol: 'mail',
    dbiExportedVars: { uid: 'login', mail: 'mail', plan: 'plan' },
    whatToTrace: 'uid',
    notification: 0,
    // No registration backend: the login form's "Create an account" link would lead nowhere.
    portalDisplayRegister: 0,
    // "1" means: ask for a code those who have a TOTP device enrolled, and only them.
    totp2fActivation: 1,
    totp2fSelfRegistration: 0,
    issuerDBOpenIDConnectActivation: 1,
    oidcServiceMetaDataIssuer: options.issuer,
    oidcServicePrivateKeySig: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    oidcServicePublicKeySig: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    oidcServiceKeyIdSig: randomBytes(8).toString('hex'),
    oidcRPMetaDataOptions: {
      'example-spa': {
        oidcRPMetaDataOptionsClientID: 'example-spa',
        oidcRPMetaDataOptionsDisplayName: 'Example SPA',
        oidcRPMetaDataOptionsPublic: 1,
        oidcRPMetaDataOptionsRequirePKCE: 1,
        oidcRPMetaDataOptionsRedirectUris: options.redirectUri,
        oidcRPMetaDataOptionsIDTokenSignAlg: 'RS256',
        // The SPA reads email and plan from the id_token, where LemonLDAP::NG puts claims only when told to.
        oidcRPMetaDataOptionsIDTokenForceClaims: 1,
        oidcRPMetaDataOptionsBypassConsent: 0,
      },
    },
    oidcRPMetaDataExportedVars: { 'example-spa': { email: 'mail', plan: 'plan' } },
    // The SPA asks for scope `plan`: it releases the `plan` claim.
    oidcRPMetaDataOptionsExtraClaims: { 'example-spa': { plan: 'plan' } },
    ...(options.faults.includes('outlook-invalid-grant') ? { customPlugins: 'AuthMatrix::OutlookInvalidGrant' } : {}),
  };
}

export async function startLemonldapIdp(port: number, faults: readonly LemonldapFault[] = []): Promise<LemonldapIdp> {
  const unavailable = lemonldapIdpUnavailable();
  if (unavailable) throw new Error(unavailable);
  const issuer = `http://127.0.0.1:${port}`;
  const data = mkdtempSync(path.join(tmpdir(), 'authmatrix-lemonldap-idp-'));
  const removeData = () => rmSync(data, { recursive: true, force: true });
  for (const folder of ['conf', 'sessions/lock', 'psessions/lock']) mkdirSync(path.join(data, folder), { recursive: true });
  const app = await startSpaClient(port + 1, issuer).catch((error: unknown) => {
    removeData();
    throw error;
  });
  const conf = configuration({ issuer, data, redirectUri: app.redirectUri, faults });
  writeFileSync(path.join(data, 'conf', 'lmConf-1.json'), JSON.stringify(conf, null, 1));
  writeFileSync(
    path.join(data, 'lemonldap-ng.ini'),
    [
      '[all]',
      'logLevel = warn',
      '[configuration]',
      'type = File',
      `dirName = ${path.join(data, 'conf')}`,
      '[portal]',
      'staticPrefix = /static',
      'templateDir = /usr/share/lemonldap-ng/portal/templates',
      'languages = en',
      '',
    ].join('\n'),
  );
  const provision = spawnSync(
    PERL,
    [path.join(HERE, 'provision.pl'), ACCOUNTS, path.join(data, 'users.sqlite'), path.join(data, 'psessions')],
    {
      encoding: 'utf8',
    },
  );
  if (provision.status !== 0) {
    await app.close();
    removeData();
    throw new Error(`the LemonLDAP::NG example could not write its accounts: ${(provision.stderr || String(provision.error)).trim()}`);
  }
  // starman, not plackup: plackup serves one connection at a time, and a browser's idle
  // keep-alive connection then holds the SPA's token request past the code's lifetime.
  const child = spawn(
    STARMAN,
    ['--listen', `127.0.0.1:${port}`, '--workers', '2', '-I', path.join(HERE, 'lib'), path.join(HERE, 'portal.psgi')],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        LLNG_DEFAULTCONFFILE: path.join(data, 'lemonldap-ng.ini'),
        LLNG_DEFAULTLOGGER: 'Lemonldap::NG::Common::Logger::Std',
      },
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4_000)));
  const close = async () => {
    await Promise.all([stopProcess(child), app.close()]);
    removeData();
  };
  // Ready when discovery answers: the portal reads its configuration on its first request.
  await untilDiscoveryAnswers(issuer, {
    what: 'LemonLDAP::NG',
    timeoutMs: 30_000,
    intervalMs: 100,
    failure: () => {
      // starman respawns a worker that cannot load the portal, for ever: the first such error is final.
      // A portal that cannot initialise (a module missing, a setting refused) answers 500 for ever: final too.
      const loadError = /^Error while loading .*$|Initialization failed.*$/m.test(stderr);
      if (loadError) return 'LemonLDAP::NG (starman) cannot start its portal';
      return child.exitCode === null ? undefined : `LemonLDAP::NG (starman) exited with ${child.exitCode}`;
    },
    output: () => stderr,
    close,
  });
  return { issuer, appUrl: app.url, close };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runExample({ defaultPort: 4930, faults: EXAMPLE_FAULTS, start: startLemonldapIdp });
}
