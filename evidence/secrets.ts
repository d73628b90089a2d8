/**
 * One redactor of every secret a test process knows: account passwords and TOTP secrets, one-time
 * codes it read or computed, bearer tokens from the settings, and anything shaped like a token, a
 * secret URL parameter, or a cookie or authorization header line (as a call log prints a
 * request). Whatever a worker sends to the runner — step titles (Playwright titles a fill
 * "Fill \"<value>\""), errors with their call logs and the page snapshots matchers attach,
 * console output, attachments and the files they point at — passes through it first, so no
 * report, console or artifact can hold a secret, whichever Playwright action typed it.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const REDACTED = '[redacted]';
/** Shorter values (a PIN-sized fragment) would blot out ordinary text; one-time codes are six digits. */
const MIN_SECRET_LENGTH = 4;
const JWT = /eyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]*/g;
const SECRET_PARAMS = /\b(code|code_verifier|access_token|id_token|refresh_token|password|state|nonce|client_secret)=([^&\s"']+)/gi;
/** A header line as Playwright's call logs print a request's or response's headers. */
const SECRET_HEADER_LINES = /^(\s*(?:cookie|set-cookie|authorization|proxy-authorization):\s*)\S.*$/gim;
/** Keys whose value is a secret: headers that carry one, and the names OAuth and accounts give them. */
const SECRET_KEYS =
  /^(cookie|set-cookie|authorization|proxy-authorization|password|passwd|totp_?secret|client_?secret|secret|code|code_?verifier|(access|id|refresh|bearer)_?token|token|api_?key|otp)$/i;
const TEXT_TYPES = /^(text\/|application\/(json|xml|x-ndjson|javascript)|image\/svg)/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class SecretRedactor {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;

  /** Remembers secrets to redact from now on; empty and very short values are ignored. */
  add(...values: (string | null | undefined)[]): void {
    let added = false;
    for (const value of values) {
      const secret = value?.trim();
      if (!secret || secret.length < MIN_SECRET_LENGTH || this.#secrets.has(secret)) continue;
      this.#secrets.add(secret);
      added = true;
    }
    if (added) {
      // Longest first, so that a secret containing another is replaced whole.
      const alternatives = [...this.#secrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.#pattern = new RegExp(alternatives.join('|'), 'g');
    }
  }

  get size(): number {
    return this.#secrets.size;
  }

  scrub(text: string): string {
    const known = this.#pattern ? text.replace(this.#pattern, REDACTED) : text;
    return known.replace(JWT, '[redacted-jwt]').replace(SECRET_PARAMS, `$1=${REDACTED}`).replace(SECRET_HEADER_LINES, `$1${REDACTED}`);
  }

  /**
   * A copy of `value` with every string scrubbed of the secrets this process knows; a key that
   * names a secret (a cookie header, a password, a token) loses its value. A key is judged by what
   * it names, never by a word it contains: the `cookies` condition of a cell stays readable.
   */
  scrubDeep<T>(value: T): T {
    if (typeof value === 'string') return this.scrub(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.scrubDeep(item)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          SECRET_KEYS.test(key) && typeof item === 'string' ? REDACTED : this.scrubDeep(item),
        ]),
      ) as T;
    }
    return value;
  }

  /**
   * Scrubs a message on its way from a worker to the runner: every string in it, text attachments
   * sent inline (base64), and text attachments sent as a file path (the file is rewritten in place).
   */
  scrubMessage<T>(message: T): T {
    const walk = (value: unknown): unknown => {
      if (typeof value === 'string') return this.scrub(value);
      if (Array.isArray(value)) return value.map(walk);
      if (!value || typeof value !== 'object') return value;
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(record)) out[key] = walk(item);
      const contentType = typeof record.contentType === 'string' ? record.contentType : '';
      if (TEXT_TYPES.test(contentType)) {
        for (const key of ['body', 'base64'] as const) {
          const encoded = record[key];
          if (typeof encoded === 'string')
            out[key] = Buffer.from(this.scrub(Buffer.from(encoded, 'base64').toString('utf8'))).toString('base64');
        }
        if (typeof record.path === 'string') this.scrubFile(record.path);
      }
      return out;
    };
    return walk(message) as T;
  }

  /** Rewrites a text file without its secrets; a file that cannot be read is left alone. */
  scrubFile(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    const scrubbed = this.scrub(text);
    if (scrubbed !== text) writeFileSync(file, scrubbed);
  }
}

/** The secrets of this process (a Playwright worker, a script). */
export const secrets = new SecretRedactor();

const INSTALLED = Symbol.for('authmatrix.redacting-ipc');

/**
 * Routes everything this process sends to its parent (the Playwright runner, for a worker)
 * through `redactor`. Installed once per process; a process without IPC is left as it is.
 */
export function redactMessagesToParent(redactor: SecretRedactor = secrets): void {
  const target = process as NodeJS.Process & { [INSTALLED]?: true };
  if (!target.send || target[INSTALLED]) return;
  const send = target.send.bind(target) as (...args: unknown[]) => boolean;
  target.send = ((message: unknown, ...rest: unknown[]) => send(redactor.scrubMessage(message), ...rest)) as typeof target.send;
  target[INSTALLED] = true;
}
