/**
 * Messages delivered to the lab's sinks (SMTP mail and SMS), by address. A reader waits for the
 * next message after a sequence number it already saw; waiting is a promise resolved on delivery,
 * bounded by a timeout.
 */
export type Channel = 'email' | 'sms';

export interface InboxMessage {
  seq: number;
  channel: Channel;
  to: string;
  from: string;
  subject: string;
  text: string;
  receivedAt: string;
}

interface Waiter {
  address: string;
  after: number;
  resolve: (message: InboxMessage | undefined) => void;
  timer: NodeJS.Timeout;
}

export class InboxClosedError extends Error {
  constructor() {
    super('the inbox was closed while a reader was waiting for a message');
    this.name = 'InboxClosedError';
  }
}

const MAX_MESSAGES_PER_ADDRESS = 200;

export class Inbox {
  readonly #messages = new Map<string, InboxMessage[]>();
  readonly #waiters = new Set<Waiter & { reject: (error: Error) => void }>();
  #seq = 0;

  static normalise(address: string): string {
    return address.trim().toLowerCase();
  }

  deliver(message: Omit<InboxMessage, 'seq' | 'receivedAt'>): InboxMessage {
    const stored: InboxMessage = { ...message, to: Inbox.normalise(message.to), seq: ++this.#seq, receivedAt: new Date().toISOString() };
    const list = this.#messages.get(stored.to) ?? [];
    list.push(stored);
    if (list.length > MAX_MESSAGES_PER_ADDRESS) list.shift();
    this.#messages.set(stored.to, list);
    for (const waiter of this.#waiters) {
      if (waiter.address === stored.to && stored.seq > waiter.after) {
        clearTimeout(waiter.timer);
        this.#waiters.delete(waiter);
        waiter.resolve(stored);
      }
    }
    return stored;
  }

  list(address: string): InboxMessage[] {
    return [...(this.#messages.get(Inbox.normalise(address)) ?? [])];
  }

  /** The first message to `address` with a sequence number above `after`, waiting up to `timeoutMs`. */
  next(address: string, after: number, timeoutMs: number): Promise<InboxMessage | undefined> {
    const key = Inbox.normalise(address);
    const ready = this.#messages.get(key)?.find((message) => message.seq > after);
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const waiter = {
        address: key,
        after,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          resolve(undefined);
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  get waiting(): number {
    return this.#waiters.size;
  }

  close(): void {
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new InboxClosedError());
    }
    this.#waiters.clear();
  }
}
