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

/** A `test.step` that also lands on the evidence timeline. */
export async function journeyStep<T>(title: string, body: () => Promise<T>): Promise<T> {
  const entry: TimelineEntry = { step: title, startedAt: new Date().toISOString() };
  const started = Date.now();
  current?.entries.push(entry);

  const result = await test.step(title, body);

  entry.durationMs = Date.now() - started;
  return result;
}
