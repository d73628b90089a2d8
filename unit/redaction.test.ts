/**
 * The one redactor of a worker's secrets, and how a failed exchange's body is summarised: the
 * pure parts of keeping secrets out and errors in.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { errorFields } from '../evidence/evidence.ts';
import { SecretRedactor } from '../evidence/secrets.ts';

test('known secrets, tokens and secret parameters are scrubbed from text; short values are not taken for secrets', () => {
  const redactor = new SecretRedactor();
  redactor.add('Hunter2-Password', 'JBSWY3DPEHPK3PXP', '123456', 'abc', null, undefined, '');
  assert.equal(redactor.size, 3, 'a value shorter than four characters is ignored');
  assert.equal(
    redactor.scrub('Fill "Hunter2-Password" then 123456 for JBSWY3DPEHPK3PXP, not abc'),
    'Fill "[redacted]" then [redacted] for [redacted], not abc',
  );
  assert.equal(
    redactor.scrub('GET /callback?code=AbCdEf0123456789xyz&state=s1 with eyJhbGciOi.eyJzdWIiOiJ4.sig'),
    'GET /callback?code=[redacted]&state=[redacted] with [redacted-jwt]',
  );
  assert.equal(
    redactor.scrub(
      'route.fetch: Timeout\nCall log:\n  → POST http://idp/token\n    cookie: _session=S-N8gE; _session.sig=arWF\n    Authorization: Basic c3BhOnNlY3JldA==\n  ← 200 OK\n    set-cookie: sid=abc; Path=/\n    content-type: application/json',
    ),
    'route.fetch: Timeout\nCall log:\n  → POST http://idp/token\n    cookie: [redacted]\n    Authorization: [redacted]\n  ← 200 OK\n    set-cookie: [redacted]\n    content-type: application/json',
    'cookie and authorization header lines in a call log',
  );
  assert.equal(redactor.scrub('the state cookie: it was missing'), 'the state cookie: it was missing', 'prose is left alone');
});

test('a message to the runner is scrubbed throughout: strings, inline text attachments and attached text files', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-redact-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'error-context.md');
  writeFileSync(file, '- textbox "Password": Hunter2-Password\n');
  const redactor = new SecretRedactor();
  redactor.add('Hunter2-Password');
  const message = {
    method: '__dispatch__',
    params: {
      method: 'stepBegin',
      params: { title: 'Fill "Hunter2-Password"', nested: [{ error: { message: 'value Hunter2-Password' } }] },
    },
    attach: { contentType: 'application/json', body: Buffer.from('{"password":"Hunter2-Password"}').toString('base64') },
    file: { contentType: 'text/markdown', path: file },
    image: { contentType: 'image/png', body: Buffer.from('Hunter2-Password').toString('base64') },
  };
  const scrubbed = redactor.scrubMessage(message);
  assert.equal(JSON.stringify(scrubbed).includes('Hunter2-Password'), false);
  assert.equal(Buffer.from(scrubbed.attach.body, 'base64').toString('utf8'), '{"password":"[redacted]"}');
  assert.equal(readFileSync(file, 'utf8'), '- textbox "Password": [redacted]\n', 'an attached text file is rewritten in place');
  assert.equal(scrubbed.image.body, message.image.body, 'a binary attachment is passed as it is');
  assert.equal(message.params.params.title, 'Fill "Hunter2-Password"', 'the original message is left as it was');
});

test('a failed exchange keeps its OAuth error; a body that is not JSON is named by its type and title', () => {
  assert.deepEqual(errorFields('{"error":"invalid_grant","error_description":"grant request is invalid"}', 'application/json'), {
    error: 'invalid_grant',
    errorDescription: 'grant request is invalid',
  });
  assert.deepEqual(errorFields('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', 'text/html; charset=utf-8'), {
    errorDescription: 'a text/html body, not JSON: "502 Bad Gateway"',
  });
  assert.deepEqual(errorFields('', undefined), { errorDescription: 'a body of no declared type, not JSON (empty)' });
});

test("evidence keeps a cell's cookie condition readable and loses only the values of keys that name a secret", () => {
  const redactor = new SecretRedactor();
  redactor.add('Hunter2-Password');
  const scrubbed = redactor.scrubDeep({
    cell: { cookies: 'stale-login', clock: 'synced' },
    headers: { cookie: 'sid=abc', 'set-cookie': 'a=b', accept: 'application/json' },
    password: 'anything',
    totpSecret: 'JBSWY3DPEHPK3PXP',
    note: 'typed Hunter2-Password into the field',
  });
  assert.deepEqual(scrubbed, {
    cell: { cookies: 'stale-login', clock: 'synced' },
    headers: { cookie: '[redacted]', 'set-cookie': '[redacted]', accept: 'application/json' },
    password: '[redacted]',
    totpSecret: '[redacted]',
    note: 'typed [redacted] into the field',
  });
});
