import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { configuredVariable, loadSettings, parseSettings, SettingsError } from '../settings/settings.ts';

test('defaults: the lab, the pairwise tier, evidence on failure', () => {
  const settings = parseSettings({});
  assert.deepEqual(settings.target, { kind: 'lab' });
  assert.equal(settings.matrix, 'pairwise');
  assert.equal(settings.evidence, 'on-failure');
  assert.equal(settings.labPort, 4700);
  assert.deepEqual(settings.networkPaths, []);
  assert.equal(settings.tokenRequestTimeoutMs, 20_000);
});

test('every bad variable is named in one error, with the value seen and the form expected', () => {
  assert.throws(
    () =>
      parseSettings({
        TARGET: 'oidc-dev',
        BASE_URL: 'ftp://x',
        LAB_PORT: '80',
        PW_WS_ENDPOINT: 'http://x',
        NETWORK_PATHS: 'vpn=nope,Bad=http://h:1',
        TOKEN_REQUEST_TIMEOUT: '5s',
      }),
    (error: unknown) => {
      assert.ok(error instanceof SettingsError);
      const text = error.message;
      assert.match(text, /BASE_URL="ftp:\/\/x" must be an http\(s\) URL/);
      assert.match(text, /TARGET=oidc-dev needs ACCOUNTS_FILE/);
      assert.match(text, /identityProvider\.issuer uses \$\{ISSUER_URL\}, which is not set; set ISSUER_URL in \.env/);
      assert.match(text, /LAB_PORT="80" must be a whole number from 1024/);
      assert.match(text, /PW_WS_ENDPOINT="http:\/\/x" must be a ws:\/\//);
      assert.match(text, /NETWORK_PATHS entry "vpn" has proxy URL "nope"/);
      assert.match(text, /NETWORK_PATHS entry "Bad=http:\/\/h:1" must be name=http:\/\/host:port/);
      assert.match(text, /TOKEN_REQUEST_TIMEOUT="5s" must be a whole number from 1000 to 600000 \(milliseconds a client waits/);
      assert.match(text, /see \.env\.example/);
      return true;
    },
  );
});

test('TARGET is lab, a shipped profile or a profile file; anything else names the choices', () => {
  assert.throws(
    () => parseSettings({ TARGET: 'staging' }),
    /TARGET="staging" must be lab, oidc-dev, react-idp, django-idp, lemonldap-idp, or the path of a target profile \.json file/,
  );
  assert.throws(
    () => parseSettings({ TARGET: 'nowhere.json', ACCOUNTS_FILE: 'package.json' }),
    /nowhere\.json is not valid:\n.*cannot be read/,
  );
});

test('inbox settings: IMAP needs its password apart from the URL; the HTTP inbox needs {address}', () => {
  assert.throws(() => parseSettings({ INBOX_IMAP_URL: 'imap://codes@127.0.0.1:1143' }), /INBOX_IMAP_URL needs INBOX_IMAP_PASSWORD/);
  assert.throws(
    () => parseSettings({ INBOX_IMAP_URL: 'imap://codes:hunter2@127.0.0.1:1143', INBOX_IMAP_PASSWORD: 'x' }),
    (error: Error) => /must not carry the password/.test(error.message) && !error.message.includes('hunter2'),
  );
  assert.throws(
    () => parseSettings({ INBOX_HTTP_URL: 'https://sms.example.com/messages' }),
    /must be an http\(s\) URL containing \{address\}/,
  );
  const settings = parseSettings({
    INBOX_IMAP_URL: 'imaps://codes%40example.com@imap.example.com/Codes',
    INBOX_IMAP_PASSWORD: 'pw',
    INBOX_HTTP_URL: 'https://sms.example.com/messages?to={address}',
  });
  assert.deepEqual(settings.imap, {
    host: 'imap.example.com',
    port: 993,
    secure: true,
    user: 'codes@example.com',
    password: 'pw',
    mailbox: 'Codes',
  });
  assert.deepEqual(settings.httpInbox, { urlTemplate: 'https://sms.example.com/messages?to={address}', token: undefined });
});

test('an enum value out of range names the choices', () => {
  assert.throws(() => parseSettings({ MATRIX: 'huge' }), /MATRIX must be smoke, pairwise or full \(got "huge"\)/);
  assert.throws(() => parseSettings({ EVIDENCE: 'never' }), /EVIDENCE must be on-failure or always/);
});

test('NETWORK_PATHS adds named proxies and refuses built-in names', () => {
  const settings = parseSettings({ NETWORK_PATHS: 'office-vpn=http://127.0.0.1:3128, home=socks5://127.0.0.1:1080' });
  assert.deepEqual(settings.networkPaths, [
    { name: 'office-vpn', url: 'http://127.0.0.1:3128' },
    { name: 'home', url: 'socks5://127.0.0.1:1080' },
  ]);
  assert.throws(() => parseSettings({ NETWORK_PATHS: 'edge-west=http://127.0.0.1:1' }), /built in/);
});

test('a malformed .env line is reported with its number, before anything runs', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-env-'));
  const file = path.join(dir, '.env');
  writeFileSync(file, '# comment\nMATRIX=smoke\nthis line is wrong\n');
  assert.throws(() => loadSettings(file), /line 3 is not NAME=value: "this line is wrong"/);
});

test('a shell variable overrides the .env value', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-env-'));
  const file = path.join(dir, '.env');
  writeFileSync(file, 'MATRIX=full\n');
  const saved = process.env.MATRIX;
  process.env.MATRIX = 'smoke';
  try {
    assert.equal(loadSettings(file).matrix, 'smoke');
  } finally {
    if (saved === undefined) delete process.env.MATRIX;
    else process.env.MATRIX = saved;
  }
});

test('a variable as the user set it: the shell over .env, empty as unset (triage keeps a set TOKEN_REQUEST_TIMEOUT)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-env-'));
  const file = path.join(dir, '.env');
  writeFileSync(file, 'TOKEN_REQUEST_TIMEOUT=9000\nEVIDENCE=\n');
  const saved = process.env.TOKEN_REQUEST_TIMEOUT;
  try {
    delete process.env.TOKEN_REQUEST_TIMEOUT;
    assert.equal(configuredVariable('TOKEN_REQUEST_TIMEOUT', file), '9000');
    assert.equal(configuredVariable('EVIDENCE', file), undefined);
    assert.equal(configuredVariable('TOKEN_REQUEST_TIMEOUT', path.join(dir, 'none')), undefined);
    process.env.TOKEN_REQUEST_TIMEOUT = '4000';
    assert.equal(configuredVariable('TOKEN_REQUEST_TIMEOUT', file), '4000');
  } finally {
    if (saved === undefined) delete process.env.TOKEN_REQUEST_TIMEOUT;
    else process.env.TOKEN_REQUEST_TIMEOUT = saved;
  }
});
