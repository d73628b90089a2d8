import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Inbox, InboxClosedError } from '../lab/inbox.ts';

const mail = (to: string, text: string) => ({ channel: 'email' as const, to, from: 'lab', subject: 's', text });

test('a waiting reader gets the next message as it is delivered', async () => {
  const inbox = new Inbox();
  const waiting = inbox.next('Ada@Outlook.com', 0, 5_000);
  assert.equal(inbox.waiting, 1);
  inbox.deliver(mail('ada@outlook.com', 'code 123456'));
  const message = await waiting;
  assert.equal(message?.text, 'code 123456');
  assert.equal(inbox.waiting, 0);
});

test('a reader asks for messages after the last one it saw', async () => {
  const inbox = new Inbox();
  const first = inbox.deliver(mail('a@gmail.com', 'one'));
  inbox.deliver(mail('b@gmail.com', 'other address'));
  const second = inbox.deliver(mail('a@gmail.com', 'two'));
  assert.equal((await inbox.next('a@gmail.com', 0, 0))?.seq, first.seq);
  assert.equal((await inbox.next('a@gmail.com', first.seq, 0))?.seq, second.seq);
});

test('no message within the timeout resolves to undefined', async () => {
  const inbox = new Inbox();
  assert.equal(await inbox.next('nobody@gmail.com', 0, 20), undefined);
  assert.equal(inbox.waiting, 0);
});

test('closing the inbox rejects waiting readers with an explicit error', async () => {
  const inbox = new Inbox();
  const waiting = inbox.next('x@gmail.com', 0, 5_000);
  inbox.close();
  await assert.rejects(waiting, InboxClosedError);
});
