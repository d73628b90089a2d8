/**
 * The lab's structured log: a bounded ring of JSON lines, searchable by request_id so that a
 * failing test can attach exactly the server-side story of its own token exchange.
 */
export interface LogLine {
  time: string;
  request_id?: string;
  component: string;
  event: string;
  [field: string]: unknown;
}

export class LabLog {
  readonly #lines: LogLine[] = [];
  readonly #capacity: number;
  readonly #echo: ((line: LogLine) => void) | undefined;

  constructor(capacity = 20_000, echo?: (line: LogLine) => void) {
    this.#capacity = capacity;
    this.#echo = echo;
  }

  write(component: string, event: string, fields: Omit<LogLine, 'time' | 'component' | 'event'> = {}): void {
    const line: LogLine = { time: new Date().toISOString(), component, event, ...fields };
    this.#lines.push(line);
    if (this.#lines.length > this.#capacity) this.#lines.splice(0, this.#lines.length - this.#capacity);
    this.#echo?.(line);
  }

  byRequestId(requestId: string): LogLine[] {
    return this.#lines.filter((line) => line.request_id === requestId);
  }

  get size(): number {
    return this.#lines.length;
  }
}
