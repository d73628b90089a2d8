/**
 * What a long command is doing, as it goes: a line per phase, fault, round and re-run with a count
 * and the time since the command started, and, while a child runs, a line whenever it has been
 * quiet for a few seconds (with the tests its Playwright run has finished), so that a person
 * watching never waits more than 10 s without a word.
 */

/** Elapsed time as a person reads it: `4 s`, `1 min 05 s`, `1 h 02 min`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** One progress line: `drill [1 min 05 s] fault 2/9 replica-lag: smoke tier`. */
export function progressLine(command: string, elapsedMs: number, text: string): string {
  return `${command} [${formatElapsed(elapsedMs)}] ${text}`;
}

/**
 * The tests a Playwright run has finished, read from its list reporter's lines (`Running 40 tests
 * using 2 workers`, then `  ✓  12 [chromium] › …` or `✘` or `-` as each ends).
 */
export class SuiteCounter {
  total: number | undefined;
  done = 0;
  failed = 0;

  feed(line: string): void {
    const running = /^Running (\d+) tests? using/.exec(line.trim());
    if (running) this.total = Number(running[1]);
    const result = /^\s*(✓|✘|-|ok|x)\s+(\d+)\s/.exec(line);
    if (!result) return;
    // One line per finished test (its number is the order it began in, not how many have ended).
    this.done += 1;
    if (result[1] === '✘' || result[1] === 'x') this.failed += 1;
  }

  /** `12/40 tests done, 1 failed`, or undefined before the run has said anything. */
  describe(): string | undefined {
    if (this.total === undefined && this.done === 0) return undefined;
    return `${this.done}${this.total === undefined ? '' : `/${this.total}`} tests done${this.failed ? `, ${this.failed} failed` : ''}`;
  }
}

import { runSuite, type SuiteRun, type SuiteRunOptions } from './processes.ts';

export interface ProgressOptions {
  write?: (line: string) => void;
  now?: () => number;
  /** The longest a command stays quiet while a child runs (ms); a tick line breaks the silence. */
  quietMs?: number;
}

export class Progress {
  readonly #write: (line: string) => void;
  readonly #now: () => number;
  readonly #quietMs: number;
  readonly #started: number;
  #lastLine: number;

  constructor(
    readonly command: string,
    options: ProgressOptions = {},
  ) {
    this.#write = options.write ?? ((line) => process.stderr.write(`${line}\n`));
    this.#now = options.now ?? Date.now;
    // Under the 10 s promised, with room for a busy event loop to fire the check late.
    this.#quietMs = options.quietMs ?? 8_000;
    this.#started = this.#now();
    this.#lastLine = this.#started;
  }

  /** Milliseconds since the command started. */
  elapsedMs(): number {
    return this.#now() - this.#started;
  }

  /** Prints one line with the time since the command started. */
  say(text: string): void {
    this.#lastLine = this.#now();
    this.#write(progressLine(this.command, this.#lastLine - this.#started, text));
  }

  /**
   * Awaits `work` (a child's run, say), and whenever nothing was said for the quiet time, says that
   * `what` is still going, for how long, and `detail()` (the tests finished so far) when it has one.
   */
  async during<T>(what: string, work: Promise<T>, detail?: () => string | undefined): Promise<T> {
    const since = this.#now();
    const ticker = setInterval(
      () => {
        if (this.#now() - this.#lastLine < this.#quietMs) return;
        const more = detail?.();
        this.say(`${what}: running for ${formatElapsed(this.#now() - since)}${more ? `, ${more}` : ''}`);
      },
      Math.min(250, this.#quietMs),
    );
    try {
      return await work;
    } finally {
      clearInterval(ticker);
    }
  }

  /**
   * Runs the suite as `what` (runSuite), saying while it runs how many of its tests have finished
   * (read off its list reporter's lines); `onTestDone` hears each one that finishes.
   */
  async suite(
    what: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv,
    options: SuiteRunOptions = {},
    onTestDone?: (counter: SuiteCounter) => void,
  ): Promise<SuiteRun> {
    const counter = new SuiteCounter();
    const onLine = (line: string) => {
      const before = counter.done;
      counter.feed(line);
      if (counter.done > before) onTestDone?.(counter);
    };
    return this.during(what, runSuite(args, env, { ...options, onLine }), () => counter.describe());
  }
}
