/**
 * Target profiles: JSON profiles validated with errors that name the field; the shipped ones
 * valid; and the suite, unchanged, signing in through a login UI it was not written for
 * (oidc-provider's development pages, examples/oidc-dev) with only settings changed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { startExampleTarget } from '../examples/oidc-dev/server.ts';
import { loadTargetProfile, parseTargetProfile, TargetProfileError } from '../targets/profile.ts';
import { PROFILE_SCHEMA_FILE, renderProfileSchema } from '../scripts/profile-schema.ts';
import { labProfile } from '../targets/lab.ts';
import type { LabDescription } from '../targets/lab-admin.ts';
import { scanRun } from './artifact-scan.ts';
import { runSuite } from '../scripts/processes.ts';

interface AllureResult {
  name: string;
  labels: { name: string; value: string }[];
  parameters: { name: string; value: string }[];
}

const EXAMPLE = readFileSync('targets/oidc-dev.json', 'utf8');

test('the shipped JSON Schema is the one the profile schema generates (npm run profile:schema)', () => {
  assert.deepEqual(JSON.parse(readFileSync(PROFILE_SCHEMA_FILE, 'utf8')), JSON.parse(renderProfileSchema()));
  const schema = JSON.parse(renderProfileSchema()) as { properties: Record<string, { properties?: Record<string, unknown> }> };
  assert.ok(schema.properties.screens?.properties?.interstitials, 'it describes interstitials');
});

test('the react-idp profile: a user name, TOTP only, an interstitial, and consent as steps that tick every scope', () => {
  const profile = loadTargetProfile('targets/react-idp.json', { BASE_URL: 'http://localhost:4891', ISSUER_URL: 'http://127.0.0.1:4890' });
  assert.equal(profile.screens.email.value, 'login');
  assert.equal(profile.screens.typing, 'fill');
  assert.deepEqual(profile.screens.secondFactor?.channels, ['totp']);
  assert.deepEqual(
    profile.screens.interstitials.map((screen) => screen.name),
    ['Stay signed in?'],
  );
  assert.deepEqual(profile.screens.consent?.steps, [{ checkAll: 'Scopes' }, { click: 'Grant access' }, { click: 'Continue' }]);
});

test('session cookies are names, or names with the attributes the provider sets them with', () => {
  const withAttributes = JSON.parse(EXAMPLE) as { identityProvider: Record<string, unknown> };
  withAttributes.identityProvider.sessionCookies = ['sid', { name: 'KC_SESSION', path: '/realms/demo/', sameSite: 'None', secure: true }];
  const profile = parseTargetProfile(JSON.stringify(withAttributes), 'cookies.json', ENV);
  assert.deepEqual(profile.identityProvider.sessionCookies, [
    { name: 'sid' },
    { name: 'KC_SESSION', path: '/realms/demo/', sameSite: 'None', secure: true },
  ]);
  withAttributes.identityProvider.sessionCookies = [{ name: 'sid', path: 'realms' }];
  assert.throws(
    () => parseTargetProfile(JSON.stringify(withAttributes), 'cookies.json', ENV),
    (error: unknown) => error instanceof TargetProfileError && /identityProvider\.sessionCookies\.0/.test(error.message),
  );
});

test('a profile can hold an account axis the target has no use for to one value', () => {
  const noPhones = JSON.parse(EXAMPLE) as Record<string, unknown>;
  noPhones.fixedAxes = { phone: 'none' };
  assert.deepEqual(parseTargetProfile(JSON.stringify(noPhones), 'no-phones.json', ENV).fixedAxes, { phone: 'none' });
  noPhones.fixedAxes = { phone: 'landline' };
  assert.throws(
    () => parseTargetProfile(JSON.stringify(noPhones), 'no-phones.json', ENV),
    (error: unknown) => error instanceof TargetProfileError && /fixedAxes\.phone/.test(error.message),
  );
});

test('consent given as one button becomes a screen recognised by that button, with one step', () => {
  const profile = parseTargetProfile(EXAMPLE, 'oidc-dev.json', ENV);
  assert.deepEqual(profile.screens.consent, { recognise: { button: /^Continue$/ }, steps: [{ click: /^Continue$/ }] });
  const bad = JSON.parse(EXAMPLE) as { screens: Record<string, unknown> };
  bad.screens.consent = { steps: [{ check: 'I agree' }] };
  assert.throws(
    () => parseTargetProfile(JSON.stringify(bad), 'bad.json', ENV),
    (error: unknown) => error instanceof TargetProfileError && /screens\.consent: consent needs `recognise`/.test(error.message),
  );
});
const ENV = { BASE_URL: 'http://localhost:4881', ISSUER_URL: 'http://127.0.0.1:4880' };

test('the shipped oidc-dev profile is valid, with ${VARIABLES} taken from the environment', () => {
  const profile = loadTargetProfile('targets/oidc-dev.json', ENV);
  assert.equal(profile.app.url, 'http://localhost:4881/');
  assert.equal(profile.identityProvider.issuer, 'http://127.0.0.1:4880');
  assert.deepEqual(profile.screens.email, { field: { placeholder: 'Enter any login' }, value: 'email' });
  assert.ok(profile.tokenExchange.url instanceof RegExp && profile.tokenExchange.url.test('http://127.0.0.1:4880/token'));
  assert.equal(profile.screens.secondFactor, undefined);
});

test('a broken profile names every bad field, and the fix', () => {
  const broken = JSON.parse(EXAMPLE) as Record<string, unknown>;
  broken.tokenExchange = { url: { regex: '(unclosed' }, method: 'PUT' };
  broken.signedIn = {};
  broken.colour = 'blue';
  assert.throws(
    () => parseTargetProfile(JSON.stringify(broken), 'mine.json', ENV),
    (error: unknown) => {
      assert.ok(error instanceof TargetProfileError);
      assert.match(error.message, /target profile mine\.json is not valid/);
      assert.match(error.message, /tokenExchange\.url: not a valid regex/);
      assert.match(error.message, /tokenExchange\.method/);
      assert.match(error.message, /signedIn: needs url or visible/);
      assert.match(error.message, /colour/);
      assert.match(error.message, /README \("Point it at your deployment"\)/);
      return true;
    },
  );
  assert.throws(() => parseTargetProfile('{ nope', 'mine.json', ENV), /mine\.json is not valid:\n {2}- it is not JSON/);
  assert.throws(
    () => parseTargetProfile(EXAMPLE, 'mine.json', {}),
    /app\.url uses \$\{BASE_URL\}, which is not set; set BASE_URL in \.env/,
  );
});

test('the lab is a profile like any other, built from the running lab', () => {
  const lab = {
    urls: {
      issuer: 'http://127.0.0.1:4700',
      app: 'http://localhost:4701',
      admin: 'http://127.0.0.1:4700/__lab',
      smtp: 'smtp://127.0.0.1:4702',
      mobileToken: 'http://127.0.0.1:4700/mobile/token',
      entryPoints: { 'edge-east': 'http://127.0.0.1:4703', 'edge-west': 'http://127.0.0.1:4704', corporate: 'http://127.0.0.1:4705' },
      upstreams: { microsoft: 'http://login.microsoft.localhost:4706', google: 'http://accounts.google.localhost:4707' },
    },
    clients: {
      web: { clientId: 'authmatrix-web', redirectUri: 'http://localhost:4701/callback', scope: 'openid email plan' },
      ios: { clientId: 'authmatrix-ios', redirectUri: 'com.authmatrix.app:/oauth/callback', scope: 'openid email plan' },
      cli: { clientId: 'authmatrix-cli', redirectUri: 'http://127.0.0.1/callback', scope: 'openid email plan' },
    },
    faults: [],
    catalog: [],
  } satisfies LabDescription;
  const profile = labProfile(lab, 'http://127.0.0.1:4700/token');
  assert.equal(profile.app.callbackUrl, 'http://localhost:4701/callback');
  assert.ok(profile.tokenExchange.url.test('http://127.0.0.1:4700/token'));
  assert.ok(!profile.tokenExchange.url.test('http://127.0.0.1:4700/token/introspection'));
  assert.equal(profile.nativeClients?.ios?.tokenEndpoint, 'http://127.0.0.1:4700/mobile/token');
  assert.deepEqual(profile.screens.secondFactor?.channels, ['totp', 'sms', 'email']);
});

const EXAMPLE_SETTINGS = {
  TARGET: 'oidc-dev',
  BASE_URL: 'http://localhost:4881',
  ISSUER_URL: 'http://127.0.0.1:4880',
  ACCOUNTS_FILE: 'examples/oidc-dev/accounts.json',
  MATRIX: 'smoke',
  CI: '1',
};

test('the smoke tier passes against oidc-provider’s own login pages with only settings changed; cells it cannot serve are skipped with the reason', async () => {
  const target = await startExampleTarget(4880);
  // Inbox credentials are settings like any other: none of them may reach an artifact.
  const imapPassword = `canary-imap-${randomBytes(10).toString('hex')}`;
  const httpToken = `canary-http-${randomBytes(10).toString('hex')}`;
  const passwords = (JSON.parse(readFileSync('examples/oidc-dev/accounts.json', 'utf8')) as { password: string }[]).map(
    (account) => account.password,
  );
  try {
    const result = await runSuite(['tests/matrix.spec.ts', '--workers', '2'], {
      ...EXAMPLE_SETTINGS,
      INBOX_IMAP_URL: 'imap://codes@127.0.0.1:1/INBOX',
      INBOX_IMAP_PASSWORD: imapPassword,
      INBOX_HTTP_URL: 'http://127.0.0.1:1/messages?to={address}',
      INBOX_HTTP_TOKEN: httpToken,
      EVIDENCE: 'always',
    });
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /target oidc-dev \(http:\/\/localhost:4881\/\)/);
    assert.match(result.output, /All 2 cells of the smoke tier that ran passed; 3 of 5 were skipped\./);
    assert.match(result.output, /skipped: target oidc-dev registers no iOS app client/);
    assert.match(result.output, /skipped: target oidc-dev asks for no authenticator code/);
    assert.deepEqual(scanRun([result.output], [imapPassword, httpToken, ...passwords]).findings, []);
    // Each cell's Allure result carries its labels and the matrix parameters.
    const results = readdirSync('allure-results')
      .filter((file) => file.endsWith('-result.json'))
      .map((file) => JSON.parse(readFileSync(path.join('allure-results', file), 'utf8')) as AllureResult);
    const seed = results.find((result) => result.name.startsWith('windows-chrome · outlook/none/plus/none'));
    assert.ok(seed, 'the seed cell has an Allure result');
    assert.deepEqual(
      seed.labels
        .filter((label) => ['epic', 'feature', 'severity'].includes(label.name))
        .map((label) => `${label.name}=${label.value}`)
        .sort(),
      ['epic=Sign-in', 'feature=Matrix: smoke tier', 'severity=critical'],
    );
    assert.deepEqual(
      Object.fromEntries(
        seed.parameters
          .filter((parameter) => ['profile', 'account', 'network'].includes(parameter.name))
          .map((parameter) => [parameter.name, parameter.value]),
      ),
      { profile: 'windows-chrome', account: 'outlook/none/plus/none', network: 'direct' },
    );
    // Every axis is a label of its own, for the report to filter and group by.
    assert.ok(seed.labels.some((label) => label.name === 'mfa' && label.value === 'none'));
    const summary = readFileSync('reports/matrix-summary.md', 'utf8');
    assert.match(
      summary,
      /Target oidc-dev \(http:\/\/localhost:4881\/\) · tier smoke · 5 cells: 2 passed, 0 failed, 0 intermittent, 3 skipped/,
    );
    assert.match(
      summary,
      /## Skipped cells\n\n\| cell \| why \|[\s\S]*ios-app · outlook\/none\/plus\/none[^|]*\| target oidc-dev registers no iOS app client/,
    );
  } finally {
    await target.close();
  }
});

test('an unreachable target stops the run within 15 s with one message, not a timeout per cell', async () => {
  const result = await runSuite(['tests/matrix.spec.ts'], {
    ...EXAMPLE_SETTINGS,
    BASE_URL: 'http://localhost:4883',
    ISSUER_URL: 'http://127.0.0.1:4882',
  });
  assert.notEqual(result.status, 0);
  assert.ok(result.ms < 15_000, `took ${result.ms} ms`);
  assert.match(result.output, /target-unreachable: the app of target oidc-dev at http:\/\/localhost:4883\/ cannot be reached/);
  assert.doesNotMatch(result.output, /Test timeout/);
});

test('npm run accounts:needed lists the account types a tier needs on a target, and fails on one ACCOUNTS_FILE lacks', () => {
  const env = {
    ...process.env,
    TARGET: 'django-idp',
    BASE_URL: 'http://localhost:4921',
    ISSUER_URL: 'http://127.0.0.1:4920/o',
    ACCOUNTS_FILE: 'examples/accounts.json',
  };
  const run = (matrix: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/accounts-needed.ts'], { env: { ...env, MATRIX: matrix }, encoding: 'utf8' });
  const smoke = run('smoke');
  assert.equal(smoke.status, 0, smoke.stderr);
  assert.match(smoke.stdout, /The smoke tier on target django-idp needs 3 account types/);
  assert.match(smoke.stdout, /outlook\/none\/plus\/none\s+1\s+1/);
  assert.match(smoke.stdout, /1 cell\(s\) need no account: target django-idp registers no iOS app client/);
  const pairwise = run('pairwise');
  assert.equal(pairwise.status, 1);
  assert.match(pairwise.stdout, /\s+MISSING\n/);
  assert.match(pairwise.stdout, /ACCOUNTS_FILE lacks \d+ type\(s\): /);
});
