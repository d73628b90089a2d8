/**
 * The token exchange a browser sends, watched by the evidence recorder, against a real token
 * endpoint that holds its answer: the client gives up after its timeout (TOKEN_REQUEST_TIMEOUT),
 * the browser's request fails at once instead of hanging the journey, and the evidence names it
 * no-response. An answer within the timeout is passed through untouched. Each holds for both ways
 * of holding the exchange: Chromium's DevTools `Fetch` narrowed to the endpoint (an endpoint URL
 * with a literal start), and Playwright's routing (one without). Held the first way, the page's
 * other requests are not held and the browser's cache serves them.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { chromium, type Browser } from '@playwright/test';
import { launchOptionsFor, resolveBrowser } from '../browsers/browser.ts';
import { classify } from '../evidence/classify.ts';
import { EvidenceRecorder, urlPatternFor } from '../evidence/evidence.ts';

const PAGE = `<!doctype html><title>app</title><button>Exchange</button><p role="status"></p>
<script src="/app.js"></script>
<script>
document.querySelector('button').onclick = () =>
  fetch('/token', { method: 'POST', body: 'grant_type=authorization_code&code=c' })
    .then((r) => r.text().then((body) => (document.querySelector('p').textContent = 'answered ' + r.status + ' ' + body)))
    .catch(() => (document.querySelector('p').textContent = 'failed'));
</script>`;

let scriptServed = 0;

/** The endpoint as a target profile would name it: with its origin (held over DevTools on Chromium), or by its path alone (routed). */
const ways = {
  devtools: (origin: string) => new RegExp(`^${origin.replace(/[.]/g, '\\.')}/token(\\?|$)`),
  route: () => /\/token$/,
} as const;

async function withApp(
  token: (req: IncomingMessage, res: ServerResponse) => void,
  run: (origin: string, browser: Browser) => Promise<void>,
): Promise<void> {
  const server = createServer((req, res) => {
    if (req.url === '/token') return token(req, res);
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
  const browser = await chromium.launch(launchOptionsFor(resolveBrowser({ browserExecutable: process.env.BROWSER_EXECUTABLE })));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, browser);
  } finally {
    await browser.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

for (const way of Object.keys(ways) as (keyof typeof ways)[]) {
  test(`held by ${way}: a held token request is given up after the client timeout: the page sees it fail, the evidence says no-response, the request is closed`, async () => {
    let heldClosed: Promise<void> | undefined;
    await withApp(
      (req) => {
        heldClosed = new Promise((resolve) => req.socket.on('close', () => resolve()));
      },
      async (origin, browser) => {
        const page = await browser.newPage();
        const recorder = new EvidenceRecorder({ url: ways[way](origin), method: 'POST' }, `${origin}/callback`);
        await recorder.watch(page, undefined, 'edge-east', 800);
        assert.equal(recorder.capture, way);
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
        const classification = classify(recorder.failureEvidence(undefined));
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
      async (origin, browser) => {
        const page = await browser.newPage();
        const recorder = new EvidenceRecorder({ url: ways[way](origin), method: 'POST' }, `${origin}/callback`);
        await recorder.watch(page, undefined, undefined, 5_000);
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
  for (const way of Object.keys(ways) as (keyof typeof ways)[]) {
    await withApp(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"token_type":"Bearer"}');
      },
      async (origin, browser) => {
        const context = await browser.newContext();
        const page = await context.newPage();
        const recorder = new EvidenceRecorder({ url: ways[way](origin), method: 'POST' }, `${origin}/callback`);
        await recorder.watch(page, undefined, undefined, 5_000);
        scriptServed = 0;
        await page.goto(origin);
        await page.goto(`${origin}/again`);
        await page.getByRole('button', { name: 'Exchange' }).click();
        await page.getByRole('status').getByText('answered 200').waitFor({ timeout: 10_000 });
        assert.equal(recorder.lastExchange?.status, 200);
        assert.equal(scriptServed, way === 'devtools' ? 1 : 2, `held by ${way}: the script was served ${scriptServed} times`);
        recorder.dispose();
        await context.close();
      },
    );
  }
});

test("the DevTools pattern is the endpoint's literal start, and none where the expression could match more than it", () => {
  assert.equal(urlPatternFor(/^http:\/\/127\.0\.0\.1:4701\/token(\?|$)/), 'http://127.0.0.1:4701/token*');
  assert.equal(urlPatternFor(/^https:\/\/login\.example\.com\/oauth2\/v2\.0\/token/), 'https://login.example.com/oauth2/v2.0/token*');
  // A quantifier may leave out the character before it; a wildcard character is escaped.
  assert.equal(urlPatternFor(/^https:\/\/id\.example\.com\/tokens?$/), 'https://id.example.com/token*');
  assert.equal(urlPatternFor(/^https:\/\/id\.example\.com\/a\*b\/token/), 'https://id.example.com/a\\*b/token*');
  // Unanchored, case-insensitive, an alternative, a host that is a pattern: no narrowing.
  assert.equal(urlPatternFor(/\/token$/), undefined);
  assert.equal(urlPatternFor(/^https:\/\/id\.example\.com\/token/i), undefined);
  assert.equal(urlPatternFor(/^https:\/\/a\.example\.com\/token|^https:\/\/b\.example\.com\/token/), undefined);
  assert.equal(urlPatternFor(/^https:\/\/[a-z]+\.example\.com\/token/), undefined);
  assert.equal(urlPatternFor(/^https:\/\/login.example.com\/token/), undefined);
});
