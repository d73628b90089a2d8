/**
 * The evidence of a failed sign-in as a person reads it: one HTML card with the verdict, the token
 * exchange (request line, status, the OAuth error quoted as the target said it, request_id, entry
 * point and node, the code's age, the server's Date against the client's clock), the hops through
 * other sites (an upstream provider's) and the journey's steps with their times. It is rendered from the report `EvidenceRecorder.report` gives, which is
 * already scrubbed of every secret, and holds nothing that report does not.
 */
import type { EvidenceReport, TokenExchangeEvidence } from './evidence.ts';
import { verdictLine } from './verdict.ts';
import { skewSeconds } from './classify.ts';

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const ms = (value: number | undefined) => (value === undefined ? undefined : `${value} ms`);

/** The client's clock when the answer came: the exchange's own, else what the app's error page reported. */
function clientClock(exchange: TokenExchangeEvidence, report: EvidenceReport): string | undefined {
  if (exchange.clientTime) return exchange.clientTime;
  const reported = report.outcome?.diagnostics?.client_time;
  return typeof reported === 'string' ? reported : undefined;
}

/** `server 20:37:52 GMT, client 20:37:52.232Z: the client is 0.2 s ahead` */
function clocks(exchange: TokenExchangeEvidence, report: EvidenceReport): string | undefined {
  const server = exchange.serverDate;
  const client = clientClock(exchange, report);
  if (!server && !client) return undefined;
  const parts = [`server Date ${server ?? 'not sent'}`, `client clock ${client ?? 'unknown'}`];
  const skew = skewSeconds({ ...exchange, clientTime: client });
  if (skew !== undefined) parts.push(skew === 0 ? 'in step' : `the client is ${Math.abs(skew)} s ${skew > 0 ? 'ahead' : 'behind'}`);
  return parts.join(' · ');
}

function row(name: string, value: string | undefined, className?: string): string {
  if (value === undefined || value === '') return '';
  return `<tr><th>${escape(name)}</th><td${className ? ` class="${className}"` : ''}>${escape(value)}</td></tr>`;
}

function exchangeTable(exchange: TokenExchangeEvidence, report: EvidenceReport, index: number, count: number): string {
  const answered = exchange.status !== 0;
  const status = answered ? String(exchange.status) : exchange.pendingMs !== undefined ? 'no answer' : 'no response (network error)';
  return `<h2>Token exchange${count > 1 ? ` ${index + 1} of ${count}` : ''}</h2><table>
${row('request', `${exchange.method} ${exchange.endpoint}`, 'mono')}
${row('status', status, answered && exchange.status < 400 ? 'ok' : 'bad')}
${row('OAuth error', exchange.error, 'mono')}
${row('error description', exchange.errorDescription === undefined ? undefined : `“${exchange.errorDescription}”`)}
${row('hint', exchange.errorHint)}
${row('request_id', exchange.requestId, 'mono')}
${row('entry point', exchange.entry)}
${row('node', exchange.node)}
${row('via', exchange.via)}
${row("code's age", exchange.codeAgeMs === undefined ? undefined : `${exchange.codeAgeMs} ms from reaching the client to the exchange`)}
${row('took', exchange.pendingMs === undefined ? ms(exchange.durationMs) : `${exchange.pendingMs} ms without an answer`)}
${row('clocks', clocks(exchange, report))}
${row('sent at', exchange.startedAt)}
</table>`;
}

/**
 * The page loads, site by site, when the sign-in crossed more sites than the app and its provider
 * (an upstream's) or a hop carried an error: where each went, how, what came back, the error it
 * carried, and the names of the cookies it sent and set.
 */
function hopsTable(report: EvidenceReport): string {
  const hops = report.hops;
  if (new Set(hops.map((hop) => hop.origin)).size < 3 && !hops.some((hop) => hop.error)) return '';
  const rows = hops
    .map(
      (
        hop,
      ) => `<tr><td class="mono">${escape(hop.origin)}</td><td class="mono">${escape(`${hop.method} ${hop.path}`)}</td><td class="num">${hop.status ?? ''}</td>
<td${hop.error ? ' class="bad"' : ''}>${escape([hop.error, hop.errorDescription && `“${hop.errorDescription}”`].filter(Boolean).join(' '))}</td>
<td class="mono">${escape(hop.cookiesSent.join(', '))}</td><td class="mono">${escape(hop.cookiesSet.map((cookie) => `${cookie.name}${cookie.sameSite ? ` (SameSite=${cookie.sameSite})` : ''}`).join(', '))}</td></tr>`,
    )
    .join('');
  return `<h2>The hops</h2><table class="hops"><tr><th>site</th><th>request</th><th>status</th><th>error it carried</th><th>cookies sent</th><th>cookies set</th></tr>${rows}</table>`;
}

function stepsList(report: EvidenceReport): string {
  if (!report.steps.length) return '';
  const items = report.steps
    .map(
      (entry) =>
        `<tr><td>${escape(entry.step)}</td><td class="num">${entry.durationMs === undefined ? '<strong>did not finish</strong>' : `${entry.durationMs} ms`}</td></tr>`,
    )
    .join('');
  return `<h2>The journey</h2><table class="steps">${items}</table>`;
}

function outcomeLine(report: EvidenceReport): string {
  const outcome = report.outcome;
  if (!outcome) return '';
  if (outcome.kind === 'signed-in') return '<p>It ended signed in.</p>';
  const said = outcome.message ? ` It said: “${escape(outcome.message)}”` : '';
  const code = outcome.errorCode ? ` (<span class="mono">${escape(outcome.errorCode)}</span>)` : '';
  return `<p>It ended on the error page${code}.${said}</p>`;
}

export function renderEvidenceCard(report: EvidenceReport): string {
  const verdict = report.classification ? verdictLine(report.classification) : 'no verdict: the sign-in did not fail';
  const cell = report.cell
    ? Object.entries(report.cell)
        .map(([axis, value]) => `${axis}=${value}`)
        .join(' · ')
    : undefined;
  const exchanges = report.exchanges.length
    ? report.exchanges.map((exchange, index) => exchangeTable(exchange, report, index, report.exchanges.length)).join('\n')
    : '<h2>Token exchange</h2><p>None was sent: the journey stopped before it.</p>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>evidence card</title><style>
body{font:14px/1.45 system-ui,sans-serif;margin:12px;color:#1b1b1f;overflow-wrap:anywhere}
.verdict{border-left:4px solid #c62828;background:#fdecea;padding:8px 12px;margin:0 0 12px;font-weight:600}
h2{font-size:15px;margin:16px 0 6px}table{border-collapse:collapse;width:100%;max-width:60rem}
th,td{border-bottom:1px solid #e3e3e8;padding:3px 8px;text-align:left;vertical-align:top}
th{width:11rem;color:#55555f;font-weight:500}.hops th{width:auto}.mono{font-family:ui-monospace,monospace}.num{text-align:right;white-space:nowrap}
.bad{color:#c62828;font-weight:600}.ok{color:#2e7d32;font-weight:600}.meta{color:#55555f}
</style></head><body>
<p class="verdict">${escape(verdict)}</p>
<p class="meta">${escape(report.profile)} on ${escape(report.engine)}${cell ? ` · ${escape(cell)}` : ''}</p>
${outcomeLine(report)}
${exchanges}
${hopsTable(report)}
${stepsList(report)}
</body></html>
`;
}
