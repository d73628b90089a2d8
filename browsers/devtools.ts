/**
 * The one DevTools protocol session (Chromium) the suite's own code holds on a page. A session
 * attached after the one that emulated the platform resets `navigator.platform` to the machine's
 * (the user agent stays), so the presentation, the evidence recorder and the cookie conditions all
 * speak through one session per page, whichever asks first.
 */
import type { CDPSession, Page } from '@playwright/test';

const sessions = new WeakMap<Page, Promise<CDPSession>>();

export function devtoolsSession(page: Page): Promise<CDPSession> {
  let session = sessions.get(page);
  if (!session) {
    session = page.context().newCDPSession(page);
    sessions.set(page, session);
  }
  return session;
}
