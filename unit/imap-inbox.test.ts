/**
 * The IMAP inbox against a real IMAP server on loopback (Dovecot), mail delivered to it over LMTP
 * by nodemailer: a sign-in reads the code that arrived after it began, not an older one; a
 * missing code is a timeout with a named error; bad credentials are one clear error without them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import nodemailer from 'nodemailer';
import { CodeNotReceivedError, CodeReader } from '../accounts/codes.ts';
import { ImapInbox, InboxError, type ImapSettings } from '../accounts/inboxes.ts';
import { DOVECOT_INSTALL, dovecotBinary, startDovecot, type Dovecot } from './dovecot-harness.ts';

const binary = dovecotBinary();
// CI installs Dovecot (.ci/run); elsewhere, without it, these tests say how to get it.
const skip = !binary && !process.env.CI ? `Dovecot is not installed; as root: ${DOVECOT_INSTALL}` : false;

let dovecot: Dovecot;
let settings: ImapSettings;

before(async () => {
  if (skip) return;
  if (!binary) throw new Error(`Dovecot is needed for the IMAP inbox tests; as root: ${DOVECOT_INSTALL}`);
  dovecot = await startDovecot(binary);
  settings = { host: '127.0.0.1', port: dovecot.imapPort, secure: false, user: dovecot.user, password: dovecot.password, mailbox: 'INBOX' };
});

after(async () => {
  await dovecot?.close();
});

async function deliver(to: string, code: string): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: dovecot.lmtpPort, lmtp: true, secure: false, ignoreTLS: true });
  await transport.sendMail({ from: 'no-reply@idp.example', to, subject: 'Your sign-in code', text: `Your verification code is ${code}.` });
  transport.close();
}

const account = (email: string) => ({ email, password: 'unused', phone: null, totpSecret: null });

test('a sign-in reads the email code that arrived after it began, waiting for it, and not an older one', { skip }, async () => {
  // No re-check within the test's time: only the server's IDLE notice can wake the reader.
  const inbox = new ImapInbox(settings, 60_000);
  try {
    const user = account('ada.lovelace@outlook.com');
    await deliver(user.email, '111111');
    await deliver('someone.else@gmail.com', '999999');
    const reader = new CodeReader({ email: inbox }, 10_000);
    await reader.beginSignIn(user, 'email');
    const code = reader.codeFor(user, 'email');
    setTimeout(() => void deliver(user.email, '222222'), 300);
    assert.equal(await code, '222222');
  } finally {
    await inbox.close();
  }
});

test('no code in time is a named timeout', { skip }, async () => {
  const inbox = new ImapInbox(settings);
  try {
    const reader = new CodeReader({ email: inbox }, 1_500);
    const user = account('nobody.writes@gmail.com');
    await reader.beginSignIn(user, 'email');
    const started = Date.now();
    await assert.rejects(reader.codeFor(user, 'email'), CodeNotReceivedError);
    assert.ok(Date.now() - started < 4_000);
  } finally {
    await inbox.close();
  }
});

test('a wrong password is one clear error that names the fix and not the password', { skip }, async () => {
  const inbox = new ImapInbox({ ...settings, password: 'wrong-password-xyz' });
  await assert.rejects(inbox.cursor(), (error: unknown) => {
    assert.ok(error instanceof InboxError);
    assert.match(error.message, /the server refused user codes@authmatrix\.test; check INBOX_IMAP_URL's user and INBOX_IMAP_PASSWORD/);
    assert.ok(!error.message.includes('wrong-password-xyz'));
    return true;
  });
  await inbox.close();
});

test('an IMAP server that is not there is one clear error naming the address', { skip }, async () => {
  const inbox = new ImapInbox({ ...settings, port: 1 });
  await assert.rejects(inbox.cursor(), /the IMAP mailbox imap:\/\/127\.0\.0\.1:1\/INBOX cannot be opened: .*check INBOX_IMAP_URL/);
  await inbox.close();
});
