import { test } from '@playwright/test';

/** When each journey step started and ended; evidence for a failure report. */
export interface TimelineEntry {
  step: string;
  startedAt: string;
  durationMs?: number;
}

export class Timeline {
  readonly entries: TimelineEntry[] = [];

  /** The innermost step that began and did not end: where the journey stopped. */
  get openStep(): string | undefined {
    return [...this.entries].reverse().find((entry) => entry.durationMs === undefined)?.step;
  }
}

let current: Timeline | undefined;

/** The timeline journey steps are recorded into, for the test running in this worker. */
export function recordStepsInto(timeline: Timeline | undefined): void {
  current = timeline;
}

/** Whether a Playwright test is running here (page objects also serve plain scripts and tests of their own). */
function inPlaywrightTest(): boolean {
  try {
    test.info();
    return true;
  } catch {
    return false;
  }
}

/** A `test.step` that also lands on the evidence timeline; outside a Playwright test, the body alone. */
export async function journeyStep<T>(title: string, body: () => Promise<T>): Promise<T> {
  const entry: TimelineEntry = { step: title, startedAt: new Date().toISOString() };
  const started = Date.now();
  current?.entries.push(entry);

  const result = inPlaywrightTest() ? await test.step(title, body) : await body();

  entry.durationMs = Date.now() - started;
  return result;
}
