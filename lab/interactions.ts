/**
 * The identity provider's own interaction UI: email first, then password, then a second factor
 * (TOTP when enrolled; else an SMS code when a phone is bound; else an email code), then the
 * redirect back to the client.
 */
import { randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TOTP } from 'otpauth';
import type Provider from 'oidc-provider';
import type { Account, AccountStore } from './accounts.ts';
import { contextOf } from './context.ts';
import { readForm } from './http.ts';
import type { LabLog } from './log.ts';
import type { MailSink } from './mail.ts';
import { escapeHtml, maskEmail, renderPage, renderStep } from './views.ts';
import { FEDERATION_CALLBACK_PATH, type Broker } from './broker.ts';
import { UPSTREAM_SPECS } from './upstreams.ts';

export type SecondFactor = 'totp' | 'sms' | 'email';

export function secondFactorOf(account: Pick<Account, 'totpSecret' | 'phone'>): SecondFactor {
  if (account.totpSecret) return 'totp';
  if (account.phone) return 'sms';
  return 'email';
}

interface Progress {
  email?: string;
  accountId?: string;
  factor?: SecondFactor;
  code?: string;
  codeExpiresAt?: number;
  /** Signed in through an upstream (the broker linked the account). */
  federated?: boolean;
  attempts: number;
  createdAt: number;
}

const CODE_TTL_MS = 5 * 60_000;
const MAX_CODE_ATTEMPTS = 5;
const MAX_PENDING = 10_000;

export interface InteractionDeps {
  provider: Provider;
  accounts: AccountStore;
  mail: MailSink;
  log: LabLog;
  broker: Broker;
}

function scopeOf(params: Record<string, unknown>): string {
  return typeof params.scope === 'string' ? params.scope : 'openid';
}

export function createInteractions({ provider, accounts, mail, log, broker }: InteractionDeps) {
  const progress = new Map<string, Progress>();
  const lastTotpCounter = new Map<string, number>();

  const stateFor = (uid: string): Progress => {
    let state = progress.get(uid);
    if (!state) {
      if (progress.size >= MAX_PENDING) {
        const oldest = progress.keys().next().value;
        if (oldest !== undefined) progress.delete(oldest);
      }
      state = { attempts: 0, createdAt: Date.now() };
      progress.set(uid, state);
    }
    return state;
  };

  const send = (res: ServerResponse, status: number, html: string): void => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  };

  const emailStep = (uid: string, error?: string, value?: string) =>
    renderStep({
      title: 'Sign in',
      heading: 'Sign in',
      intro: 'Use your account email to continue.',
      action: `/interaction/${uid}/email`,
      field: { name: 'email', label: 'Email address', type: 'email', autocomplete: 'username' },
      ...(error ? { error } : {}),
      ...(value ? { value } : {}),
      after: `<p>or</p><form method="post" action="/interaction/${escapeHtml(uid)}/federate">${UPSTREAM_SPECS.map(
        (spec) => `<button type="submit" name="upstream" value="${spec.name}">Continue with ${escapeHtml(spec.label)}</button>`,
      ).join('\n')}</form>`,
    });

  const passwordStep = (uid: string, email: string, error?: string) =>
    renderStep({
      title: 'Enter your password',
      heading: 'Enter your password',
      intro: `Signing in as ${email}.`,
      action: `/interaction/${uid}/password`,
      field: { name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' },
      ...(error ? { error } : {}),
    });

  const codeStep = (uid: string, factor: SecondFactor, account: Account, error?: string) => {
    const intro =
      factor === 'totp'
        ? 'Open your authenticator app and enter the 6-digit code.'
        : factor === 'sms'
          ? `We sent a 6-digit code by text message to the phone number ending in ${account.phone?.slice(-2) ?? ''}.`
          : `We sent a 6-digit code to ${maskEmail(account.email)}.`;
    return renderStep({
      title: 'Verify it is you',
      heading: 'Verify it is you',
      intro,
      action: `/interaction/${uid}/code`,
      field: { name: 'code', label: 'Verification code', type: 'text', autocomplete: 'one-time-code', inputmode: 'numeric' },
      ...(error ? { error } : {}),
    });
  };

  const expired = (res: ServerResponse) =>
    send(
      res,
      400,
      renderPage({
        title: 'Sign-in expired',
        body: '<h1>Your sign-in session expired</h1><p role="alert">Go back to the app and start signing in again.</p>',
      }),
    );

  async function deliverCode(uid: string, state: Progress, account: Account, requestId: string | undefined): Promise<void> {
    if (state.factor === 'totp') return;
    state.code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    state.codeExpiresAt = Date.now() + CODE_TTL_MS;
    const text = `Your authmatrix verification code is ${state.code}. It expires in 5 minutes.`;
    if (state.factor === 'sms' && account.phone) mail.sendSms(account.phone, text);
    else await mail.sendMail(account.email, 'Your verification code', text);
    log.write('idp', 'second_factor.sent', { request_id: requestId, interaction: uid, channel: state.factor });
  }

  function codeMatches(state: Progress, account: Account, code: string): boolean {
    if (state.factor === 'totp') {
      if (!account.totpSecret) return false;
      const totp = new TOTP({ secret: account.totpSecret, digits: 6, period: 30, algorithm: 'SHA1' });
      const delta = totp.validate({ token: code, window: 1 });
      if (delta === null) return false;
      const counter = totp.counter() + delta;
      // A TOTP code is good once: a replayed code inside its period is refused.
      if ((lastTotpCounter.get(account.id) ?? -1) >= counter) return false;
      lastTotpCounter.set(account.id, counter);
      return true;
    }
    return state.code !== undefined && state.codeExpiresAt !== undefined && Date.now() < state.codeExpiresAt && code === state.code;
  }

  async function grantFor(accountId: string, clientId: string, scope: string): Promise<string> {
    const grant = new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(scope);
    return grant.save();
  }

  /** Handles `/interaction/...` and the federation callback; returns false for any other path. */
  return async function handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    if (pathname === FEDERATION_CALLBACK_PATH) {
      await broker.callback(req, res);
      return true;
    }
    const match = /^\/interaction\/([\w-]+)(?:\/(email|password|code|federate|federated))?$/.exec(pathname);
    if (!match) return false;
    const [, uid = '', step] = match;
    const requestId = contextOf(req)?.requestId;
    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      progress.delete(uid);
      expired(res);
      return true;
    }
    if (details.uid !== uid) {
      expired(res);
      return true;
    }
    // The lab's clients are all first-party: consent is granted without a screen. Native clients
    // (for which oidc-provider always asks for consent) get here with a live session.
    if (details.prompt.name === 'consent' && details.session?.accountId) {
      const grantId = await grantFor(details.session.accountId, String(details.params.client_id), scopeOf(details.params));
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return true;
    }
    const state = stateFor(uid);

    if (req.method === 'GET' && step === undefined) {
      send(res, 200, emailStep(uid));
      return true;
    }
    if (req.method === 'GET' && step === 'federated') {
      // Back from the upstream, which vouched for the account: its own second factor, if enrolled, then done.
      const linked = broker.takeLinked(uid);
      const account = linked ? accounts.findById(linked.accountId) : undefined;
      if (!account) {
        expired(res);
        return true;
      }
      state.email = account.email;
      state.accountId = account.id;
      state.federated = true;
      state.attempts = 0;
      if (account.totpSecret) {
        state.factor = 'totp';
        send(res, 200, codeStep(uid, 'totp', account));
        return true;
      }
      await finishLogin(req, res, uid, account, details.params, ['fed']);
      return true;
    }
    if (req.method !== 'POST' || step === undefined) {
      send(res, 405, renderPage({ title: 'Method not allowed', body: '<h1>Method not allowed</h1>' }));
      return true;
    }
    if (step === 'federate') {
      const form = await readForm(req);
      await broker.start(uid, form.get('upstream'), req, res);
      return true;
    }
    const form = await readForm(req);

    if (step === 'email') {
      const email = (form.get('email') ?? '').trim().toLowerCase();
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
        send(res, 400, emailStep(uid, 'Enter an email address such as name@example.com.', email));
        return true;
      }
      state.email = email;
      // The password step is shown for unknown addresses too, so the form does not reveal who has an account.
      send(res, 200, passwordStep(uid, email));
      return true;
    }

    if (!state.email) {
      send(res, 400, emailStep(uid, 'Start with your email address.'));
      return true;
    }

    if (step === 'password') {
      const account = accounts.findByEmail(state.email);
      const passwordRight = account !== undefined && accounts.verifyPassword(account, form.get('password') ?? '');
      // Said only to whoever knows the password, so the form still does not reveal who has an account.
      if (passwordRight && account.method === 'federated') {
        const upstream = UPSTREAM_SPECS.find((spec) => spec.domains.includes(account.email.split('@')[1] ?? ''))?.label ?? 'Google';
        send(res, 401, passwordStep(uid, state.email, `This account signs in with ${upstream}. Use Continue with ${upstream}.`));
        return true;
      }
      if (!account || !passwordRight) {
        log.write('idp', 'login.password_rejected', { request_id: requestId, interaction: uid });
        send(res, 401, passwordStep(uid, state.email, 'Wrong email or password.'));
        return true;
      }
      state.accountId = account.id;
      state.factor = secondFactorOf(account);
      state.attempts = 0;
      await deliverCode(uid, state, account, requestId);
      send(res, 200, codeStep(uid, state.factor, account));
      return true;
    }

    const account = state.accountId ? accounts.findById(state.accountId) : undefined;
    if (!account || !state.factor) {
      send(res, 400, passwordStep(uid, state.email, 'Enter your password first.'));
      return true;
    }
    const code = (form.get('code') ?? '').replace(/\s+/g, '');
    if (!codeMatches(state, account, code)) {
      state.attempts += 1;
      log.write('idp', 'login.code_rejected', { request_id: requestId, interaction: uid, attempts: state.attempts });
      if (state.attempts >= MAX_CODE_ATTEMPTS) {
        progress.delete(uid);
        await provider.interactionFinished(
          req,
          res,
          { error: 'access_denied', error_description: 'too many wrong verification codes' },
          { mergeWithLastSubmission: false },
        );
        return true;
      }
      send(res, 401, codeStep(uid, state.factor, account, 'That code is not right. Check it and try again.'));
      return true;
    }
    await finishLogin(req, res, uid, account, details.params, [
      state.federated ? 'fed' : 'pwd',
      state.factor === 'totp' ? 'otp' : state.factor,
    ]);
    return true;
  };

  async function finishLogin(
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
    account: Account,
    params: Record<string, unknown>,
    amr: string[],
  ): Promise<void> {
    progress.delete(uid);
    log.write('idp', 'login.succeeded', { request_id: contextOf(req)?.requestId, interaction: uid, amr: amr.join(' ') });
    const grantId = await grantFor(account.id, String(params.client_id), scopeOf(params));
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.id, amr }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }
}
