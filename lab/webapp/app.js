// The lab's web app: a public single-page OIDC client. It signs in with the authorization code
// flow and PKCE, exchanges the code from the browser, verifies the id_token (signature against the
// provider's JWKS, issuer, audience, nonce, and times against this device's clock), and keeps
// tokens in memory only.
const STATE_COOKIE = 'am_login';
const root = document.getElementById('root');

const b64url = (bytes) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const randomToken = () => b64url(crypto.getRandomValues(new Uint8Array(32)));
const decodeJwtPart = (part) => JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'onclick') node.addEventListener('click', value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function show(...nodes) {
  root.replaceChildren(...nodes);
}

// Pending sign-in attempts (one per tab that started one), newest last, at most three.
const MAX_ATTEMPTS = 3;

function readAttempts() {
  const entry = document.cookie.split('; ').find((part) => part.startsWith(`${STATE_COOKIE}=`));
  if (!entry) return [];
  try {
    const value = JSON.parse(decodeURIComponent(entry.slice(STATE_COOKIE.length + 1)));
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

function writeAttempts(attempts, sameSite) {
  document.cookie = attempts.length
    ? `${STATE_COOKIE}=${encodeURIComponent(JSON.stringify(attempts))}; path=/; max-age=600; samesite=${sameSite}`
    : `${STATE_COOKIE}=; path=/; max-age=0; samesite=${sameSite}`;
}

async function loadConfig() {
  const config = await (await fetch('/config.json')).json();
  const discovery = await (await fetch(`${config.issuer}/.well-known/openid-configuration`)).json();
  return { ...config, discovery };
}

function showLanding(config) {
  show(
    el('h1', {}, 'authmatrix app'),
    el('p', {}, 'Sign in to see your plan.'),
    el('button', { type: 'button', onclick: () => void startLogin(config) }, 'Log in'),
  );
}

async function startLogin(config) {
  const verifier = randomToken();
  const challenge = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = randomToken();
  const nonce = randomToken();
  writeAttempts([...readAttempts(), { state, verifier, nonce, startedAt: Date.now() }].slice(-MAX_ATTEMPTS), config.stateCookieSameSite);
  const url = new URL(config.discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    response_type: 'code',
    scope: config.scope,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

function showError({ errorCode, title, message, requestId, diagnostics }, config) {
  document.title = 'Sign-in failed';
  show(
    el('h1', {}, title),
    el('p', { role: 'alert' }, message),
    el('p', {}, `error_code: ${errorCode}`),
    el('p', {}, `request_id: ${requestId ?? 'unavailable'}`),
    el('section', { 'aria-label': 'Diagnostics' }, el('h2', {}, 'Diagnostics'), el('pre', {}, JSON.stringify(diagnostics, null, 2))),
    el('button', { type: 'button', onclick: () => void startLogin(config) }, 'Try again'),
  );
}

function showHome(claims) {
  document.title = 'Signed in';
  const plan = claims.plan === 'plus' ? 'Plus' : 'Free';
  show(
    el('h1', {}, "You're signed in"),
    el('p', {}, 'Account: ', el('output', { 'aria-label': 'Account email' }, claims.email)),
    el('p', {}, 'Plan: ', el('output', { 'aria-label': 'Plan', class: 'badge' }, plan)),
  );
}

// A token the app has just asked for was issued moments ago: an iat further from this device's
// clock than the leeway (plus this allowance for the round trip) means the clock is off.
const FRESH_TOKEN_ALLOWANCE_S = 60;

function checkTimeClaims(claims, leewaySeconds) {
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') return 'the id_token has no iat or exp claim';
  if (claims.iat > now + leewaySeconds) return `the id_token was issued ${claims.iat - now} s in the future by this device's clock`;
  if (now - claims.iat > leewaySeconds + FRESH_TOKEN_ALLOWANCE_S)
    return `the id_token was issued ${now - claims.iat} s ago by this device's clock, though it was just requested`;
  if (typeof claims.nbf === 'number' && claims.nbf > now + leewaySeconds)
    return `the id_token is not valid for another ${claims.nbf - now} s by this device's clock`;
  if (claims.exp <= now - leewaySeconds) return `the id_token expired ${now - claims.exp} s ago by this device's clock`;
  return undefined;
}

const base64urlBytes = (part) => Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));

/**
 * The id_token as a client must check it: its RS256 signature against the provider's published
 * keys (the JWKS), then issuer, audience, nonce and times. Returns the claims, or the error and why.
 */
async function checkIdToken(idToken, config, nonce) {
  const [headerPart = '', payloadPart = '', signaturePart = ''] = idToken.split('.');
  let header;
  let claims;
  try {
    header = decodeJwtPart(headerPart);
    claims = decodeJwtPart(payloadPart);
  } catch {
    return { error: 'invalid_id_token', problem: 'the id_token is not a JWT' };
  }
  let jwks;
  try {
    jwks = await (await fetch(config.discovery.jwks_uri)).json();
  } catch (error) {
    return { error: 'jwks_unavailable', problem: `the provider's JWKS at ${config.discovery.jwks_uri} could not be read: ${error}` };
  }
  const jwk = (jwks.keys ?? []).find((key) => key.kid === header.kid);
  if (!jwk || header.alg !== 'RS256')
    return {
      error: 'invalid_id_token_signature',
      problem: `no RS256 key in the provider's JWKS matches the id_token's kid "${header.kid}" (it lists ${(jwks.keys ?? []).map((key) => `"${key.kid}"`).join(', ') || 'none'})`,
    };
  const key = await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
  const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
  if (!(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, base64urlBytes(signaturePart), signed)))
    return { error: 'invalid_id_token_signature', problem: `the id_token's signature does not verify with key "${header.kid}"` };
  if (claims.iss !== config.discovery.issuer)
    return { error: 'invalid_id_token_issuer', problem: `iss is "${claims.iss}", expected "${config.discovery.issuer}"` };
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(config.clientId))
    return {
      error: 'invalid_id_token_audience',
      problem: `aud is ${JSON.stringify(claims.aud)}, not this app's client id "${config.clientId}"`,
    };
  if (claims.nonce !== nonce) return { error: 'invalid_id_token_nonce', problem: 'the id_token nonce does not match this sign-in' };
  const timeProblem = checkTimeClaims(claims, config.leewaySeconds);
  if (timeProblem) return { error: 'invalid_id_token_time', problem: timeProblem };
  return { claims };
}

async function completeLogin(config) {
  const params = new URLSearchParams(location.search);
  history.replaceState(null, '', '/home');
  const attempts = readAttempts();
  const serverSawState = document.querySelector('meta[name="login-state-cookie"]')?.getAttribute('content') !== 'absent';
  const saved = !serverSawState
    ? undefined
    : config.attemptChoice === 'oldest'
      ? attempts[0]
      : attempts.find((attempt) => attempt.state === params.get('state'));
  writeAttempts(
    attempts.filter((attempt) => attempt !== saved),
    config.stateCookieSameSite,
  );
  const base = { entry: null, node: null, status: null, endpoint: config.discovery.token_endpoint };
  if (params.get('error')) {
    return showError(
      {
        errorCode: params.get('error'),
        title: 'Sign-in was not completed',
        message: params.get('error_description') ?? 'The identity provider ended the sign-in.',
        diagnostics: { ...base, stage: 'authorization', error: params.get('error'), error_description: params.get('error_description') },
      },
      config,
    );
  }
  if (!saved || saved.state !== params.get('state')) {
    return showError(
      {
        errorCode: 'login_state_lost',
        title: 'Your sign-in could not be matched',
        message: 'This browser lost track of the sign-in it started (cookies cleared or blocked, or an old tab). Try again.',
        diagnostics: {
          ...base,
          stage: 'callback',
          error: 'state_mismatch',
          state_cookie: !serverSawState
            ? 'not sent with the redirect'
            : attempts.length === 0
              ? 'missing'
              : saved
                ? 'names another attempt'
                : 'no attempt matches',
          pending_attempts: attempts.length,
        },
      },
      config,
    );
  }
  const startedAt = Date.now();
  let response;
  try {
    response = await fetch(config.discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: params.get('code') ?? '',
        redirect_uri: config.redirectUri,
        client_id: config.clientId,
        code_verifier: saved.verifier,
      }),
    });
  } catch (error) {
    return showError(
      {
        errorCode: 'token_exchange_failed',
        title: 'We could not sign you in',
        message: 'The sign-in service could not be reached. Check your connection and try again.',
        diagnostics: {
          ...base,
          stage: 'token_exchange',
          error: 'network_error',
          error_description: String(error),
          duration_ms: Date.now() - startedAt,
        },
      },
      config,
    );
  }
  const body = await response.json().catch(() => ({}));
  const diagnostics = {
    ...base,
    stage: 'token_exchange',
    status: response.status,
    error: body.error ?? null,
    error_description: body.error_description ?? null,
    entry: response.headers.get('x-lab-entry'),
    node: response.headers.get('x-lab-node'),
    server_date: response.headers.get('date'),
    client_time: new Date().toISOString(),
    duration_ms: Date.now() - startedAt,
  };
  const requestId = response.headers.get('x-request-id');
  if (!response.ok || typeof body.id_token !== 'string') {
    return showError(
      {
        errorCode: response.status === 429 ? 'rate_limited' : 'token_exchange_failed',
        title: 'We could not sign you in',
        message:
          response.status === 429
            ? 'Too many sign-in attempts. Wait a minute and try again.'
            : 'Something went wrong while finishing your sign-in. Try again in a moment.',
        requestId,
        diagnostics,
      },
      config,
    );
  }
  const checked = await checkIdToken(body.id_token, config, saved.nonce);
  if (checked.error) {
    const clockProblem = checked.error === 'invalid_id_token_time';
    return showError(
      {
        errorCode: 'token_exchange_failed',
        title: 'We could not sign you in',
        message: clockProblem
          ? "Your device's clock looks wrong. Check that its date and time are set automatically, then try again."
          : 'The sign-in response did not match this sign-in. Try again.',
        requestId,
        diagnostics: {
          ...diagnostics,
          error: checked.error,
          error_description: checked.problem,
          leeway_s: config.leewaySeconds,
        },
      },
      config,
    );
  }
  const claims = checked.claims;
  showHome(claims);
}

const config = await loadConfig();
if (location.pathname === '/callback') await completeLogin(config);
else showLanding(config);
