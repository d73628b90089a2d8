/**
 * The token exchange a browser sends, watched by the evidence recorder, against a real token
 * endpoint that holds its answer: the client gives up after its timeout (TOKEN_REQUEST_TIMEOUT),
 * the browser's request fails at once instead of hanging the journey, and the evidence names it
 * no-response. An answer within the timeout is passed through untouched, and the page's other
 * script requests go on. Each holds for every way of holding the exchange: Chromium's DevTools
 * `Fetch` narrowed to the endpoint URL's literal start, or to the page's script requests (for an
 * endpoint known by a pattern alone), and Playwright's routing (other engines). Held over
 * DevTools, the page's other requests are not held and the browser's cache serves them.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { launchOptionsFor, resolveBrowser } from '../browsers/browser.ts';
import { classify } from '../evidence/classify.ts';
import { EvidenceRecorder, type WatchOptions } from '../evidence/evidence.ts';
import { urlPatternFor } from '../evidence/interception.ts';

const PAGE = `<!doctype html><title>app</title><button>Exchange</button><p role="status"></p>
<script src="/app.js"></script>
<script>
document.querySelector('button').onclick = () =>
  fetch('/config')
    .then((r) => r.json())
    .then((config) => fetch(config.token, { method: 'POST', body: 'grant_type=authorization_code&code=c' }))
    .then((r) => r.text().then((body) => (document.querySelector('p').textContent = 'answered ' + r.status + ' ' + body)))
    .catch(() => (document.querySelector('p').textContent = 'failed'));
</script>`;

let scriptServed = 0;

/** The endpoint as a target profile would name it (with its origin, or by its path alone), and how it is held. */
const ways: Record<string, { url: (origin: string) => RegExp; capture: NonNullable<WatchOptions['capture']> }> = {
  'DevTools, by the endpoint URL': { url: (origin) => new RegExp(`^${origin.replace(/[.]/g, '\\.')}/token(\\?|$)`), capture: 'devtools' },
  'DevTools, by script requests': { url: () => /\/token$/, capture: 'devtools' },
  "Playwright's routing": { url: () => /\/token$/, capture: 'route' },
};

// One browser for the file; each app gets a context of its own.
let browser: Browser;
before(async () => {
  browser = await chromium.launch(launchOptionsFor(resolveBrowser({ browserExecutable: process.env.BROWSER_EXECUTABLE })));
});
after(async () => {
  await browser.close();
});

async function withApp(
  token: (req: IncomingMessage, res: ServerResponse) => void,
  run: (origin: string, context: BrowserContext) => Promise<void>,
): Promise<void> {
  const server = createServer((req, res) => {
    if (req.url === '/token') return token(req, res);
    if (req.url === '/config') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"/token"}');
    if (req.url === '/app.js') {
      scriptServed++;
      res.setHeader('content-type', 'text/javascript');
      res.setHeader('cache-control', 'max-age=600');
      return res.end('window.loaded = true;');
    }
    res.setHeader('content-type', 'text/html');
    res.end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const context = await browser.newContext();
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, context);
  } finally {
    await context.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

for (const [way, { url, capture }] of Object.entries(ways)) {
  test(`held by ${way}: a held token request is given up after the client timeout: the page sees it fail, the evidence says no-response, the request is closed`, async () => {
    let heldClosed: Promise<void> | undefined;
    await withApp(
      (req) => {
        heldClosed = new Promise((resolve) => req.socket.on('close', () => resolve()));
      },
      async (origin, context) => {
        const page = await context.newPage();
        const recorder = new EvidenceRecorder({ url: url(origin), method: 'POST' }, `${origin}/callback`);
        await recorder.watch(page, { entry: 'edge-east', timeoutMs: 800, capture });
        assert.equal(recorder.capture, capture);
        await page.goto(origin);
        const started = Date.now();
        await page.getByRole('button', { name: 'Exchange' }).click();
        await page.getByRole('status').getByText('failed').waitFor({ timeout: 10_000 });
        const waited = Date.now() - started;
        assert.ok(waited >= 800 && waited < 8_000, `the page waited ${waited} ms`);
        const exchange = recorder.lastExchange;
        assert.equal(exchange?.status, 0);
        assert.ok((exchange.pendingMs ?? 0) >= 800);
        assert.equal(exchange.entry, 'edge-east');
        assert.equal(recorder.pendingExchange(), undefined);
        const classification = classify(recorder.failureEvidence());
        assert.equal(classification.category, 'token_exchange_failed');
        assert.equal(classification.cause, 'no-response');
        assert.match(classification.summary, /through edge-east had no answer after \d+ ms/);
        recorder.dispose();
        assert.ok(heldClosed);
        await heldClosed;
      },
    );
  });

  test(`held by ${way}: a token request answered within the client timeout reaches the page as sent, its error recorded`, async () => {
    await withApp(
      (_req, res) => {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
      },
      async (origin, context) => {
        const page = await context.newPage();
        const recorder = new EvidenceRecorder({ url: url(origin), method: 'POST' }, `${origin}/callback`);
        await recorder.watch(page, { timeoutMs: 5_000, capture });
        await page.goto(origin);
        await page.getByRole('button', { name: 'Exchange' }).click();
        await page.getByRole('status').getByText('answered 400 {"error":"invalid_grant"}').waitFor({ timeout: 10_000 });
        assert.equal(recorder.lastExchange?.status, 400);
        assert.equal(recorder.lastExchange.error, 'invalid_grant');
        assert.equal(recorder.lastExchange.pendingMs, undefined);
        recorder.dispose();
      },
    );
  });
}

test("held over DevTools, the page's other requests are not held: the browser's cache serves its script again; routed, it is fetched again", async () => {
  for (const [way, { url, capture }] of Object.entries(ways)) {
    await withApp(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"token_type":"Bearer"}');
      },
      async (origin, context) => {
        const page = await context.newPage();
        const recorder = new EvidenceRecorder({ url: url(origin), method: 'POST' }, `${origin}/callback`);
        await recorder.watch(page, { timeoutMs: 5_000, capture });
        scriptServed = 0;
        await page.goto(origin);
        await page.goto(`${origin}/again`);
        await page.getByRole('button', { name: 'Exchange' }).click();
        await page.getByRole('status').getByText('answered 200').waitFor({ timeout: 10_000 });
        assert.equal(recorder.lastExchange?.status, 200);
        assert.equal(scriptServed, capture === 'devtools' ? 1 : 2, `held by ${way}: the script was served ${scriptServed} times`);
        recorder.dispose();
      },
    );
  }
});

test("the DevTools URL pattern is the endpoint's literal start, and none where the expression could match more than it", () => {
  assert.equal(urlPatternFor(/^http:\/\/127\.0\.0\.1:4701\/token(\?|$)/), 'http://127.0.0.1:4701/token*');
  assert.equal(urlPatternFor(/^https:\/\/login\.example\.com\/oauth2\/v2\.0\/token/), 'https://login.example.com/oauth2/v2.0/token*');
  // A quantifier may leave out the character before it; a wildcard character is escaped; a `.` is any one.
  assert.equal(urlPatternFor(/^https:\/\/id\.example\.com\/tokens?$/), 'https://id.example.com/token*');
  assert.equal(urlPatternFor(/^https:\/\/login.example.com\/token/), 'https://login?example?com/token*');
  assert.equal(urlPatternFor(/^https:\/\/id\.example\.com\/a\*b\/token/), 'https://id.example.com/a\\*b/token*');
  // Unanchored, case-insensitive, an alternative, a host that is a pattern: no URL to narrow to.
  assert.equal(urlPatternFor(/\/token$/), undefined);
  assert.equal(urlPatternFor(/^https:\/\/id\.example\.com\/token/i), undefined);
  assert.equal(urlPatternFor(/^https:\/\/a\.example\.com\/token|^https:\/\/b\.example\.com\/token/), undefined);
  assert.equal(urlPatternFor(/^https:\/\/[a-z]+\.example\.com\/token/), undefined);
});
