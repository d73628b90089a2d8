/**
 * The token exchange a browser sends, watched by the evidence recorder, against a real token
 * endpoint that holds its answer: the client gives up after its timeout (TOKEN_REQUEST_TIMEOUT),
 * the browser's request fails at once instead of hanging the journey, and the evidence names it
 * no-response. An answer within the timeout is passed through untouched.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { chromium, type Browser } from '@playwright/test';
import { launchOptionsFor, resolveBrowser } from '../browsers/browser.ts';
import { classify } from '../evidence/classify.ts';
import { EvidenceRecorder } from '../evidence/evidence.ts';

const PAGE = `<!doctype html><title>app</title><button>Exchange</button><p role="status"></p>
<script>
document.querySelector('button').onclick = () =>
  fetch('/token', { method: 'POST', body: 'grant_type=authorization_code&code=c' })
    .then((r) => r.text().then((body) => (document.querySelector('p').textContent = 'answered ' + r.status + ' ' + body)))
    .catch(() => (document.querySelector('p').textContent = 'failed'));
</script>`;

async function withApp(
  token: (req: IncomingMessage, res: ServerResponse) => void,
  run: (origin: string, browser: Browser) => Promise<void>,
): Promise<void> {
  const server = createServer((req, res) => {
    if (req.url === '/token') return token(req, res);
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

test('a held token request is given up after the client timeout: the page sees it fail, the evidence says no-response, the request is closed', async () => {
  let heldClosed: Promise<void> | undefined;
  await withApp(
    (req) => {
      heldClosed = new Promise((resolve) => req.socket.on('close', () => resolve()));
    },
    async (origin, browser) => {
      const page = await browser.newPage();
      const recorder = new EvidenceRecorder({ url: /\/token$/, method: 'POST' }, `${origin}/callback`);
      await recorder.watch(page, undefined, 'edge-east', 800);
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

test('a token request answered within the client timeout reaches the page as sent, its error recorded', async () => {
  await withApp(
    (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
    },
    async (origin, browser) => {
      const page = await browser.newPage();
      const recorder = new EvidenceRecorder({ url: /\/token$/, method: 'POST' }, `${origin}/callback`);
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
