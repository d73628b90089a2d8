/**
 * The lab's message sinks: a real SMTP server (smtp-server + mailparser) that files every mail it
 * accepts into the inbox, a mailer that the identity provider sends codes through (nodemailer over
 * SMTP to that server), and an SMS gateway sink.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import type { Inbox } from './inbox.ts';
import type { LabLog } from './log.ts';

export const SENDER = 'no-reply@authmatrix.lab';

export interface MailSink {
  readonly port: number;
  sendMail(to: string, subject: string, text: string): Promise<void>;
  sendSms(to: string, text: string): void;
  close(): Promise<void>;
}

export async function startMailSink(inbox: Inbox, log: LabLog, port: number): Promise<MailSink> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'authmatrix lab SMTP sink',
    logger: false,
    size: 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const envelopeFrom = session.envelope.mailFrom;
          const from = mail.from?.value[0]?.address ?? (envelopeFrom ? envelopeFrom.address : '');
          for (const recipient of session.envelope.rcptTo) {
            inbox.deliver({ channel: 'email', to: recipient.address, from, subject: mail.subject ?? '', text: mail.text ?? '' });
          }
          callback();
        })
        .catch((error: unknown) => {
          log.write('smtp', 'smtp.parse_failed', { error: String(error) });
          callback(error instanceof Error ? error : new Error(String(error)));
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.server.address() as AddressInfo).port;
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: actualPort,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 4,
  });

  return {
    port: actualPort,
    async sendMail(to, subject, text) {
      await transport.sendMail({ from: SENDER, to, subject, text });
    },
    sendSms(to, text) {
      inbox.deliver({ channel: 'sms', to, from: 'authmatrix-lab', subject: '', text });
    },
    async close() {
      transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
