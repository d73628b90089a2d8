/**
 * The React identity provider's login UI: every field a controlled input (its value lives in React
 * state, set only through onChange), every step posted as JSON from that state. A value written
 * into the DOM from script, without the input events a user's typing fires, never reaches the
 * state, and the provider receives nothing. The password field also mirrors its value into an
 * attribute, as some design systems do, so that a page snapshot would hold it.
 */
import { useEffect, useState, type ReactNode, type SyntheticEvent } from 'react';
import { createRoot } from 'react-dom/client';

type Step =
  | { step: 'identifier' }
  | { step: 'password'; identifier: string }
  | { step: 'otp' }
  | { step: 'stay' }
  | { step: 'consent'; client: string; granted: boolean; authenticator: boolean };

interface Reply {
  next?: Step;
  redirect?: string;
  error?: string;
  /** A step accepted: confirmed in a toast. */
  notice?: string;
}

/** How long an accepted code's toast shows on the code screen before the next screen comes. */
const CODE_TOAST_MS = 800;

const uid = document.getElementById('root')?.dataset.uid ?? '';

async function post(action: string, body: Record<string, unknown>): Promise<Reply> {
  const response = await fetch(`/interaction/${uid}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Reply;
}

function Screen({
  title,
  error,
  notice,
  children,
}: {
  title: string;
  error: string | undefined;
  notice?: string | undefined;
  children: ReactNode;
}) {
  return (
    <main>
      {notice ? (
        <div role="alert" className="toast">
          {notice}
        </div>
      ) : null}
      <h1>{title}</h1>
      {error ? <p role="alert">{error}</p> : null}
      {children}
    </main>
  );
}

const SCOPES = ['Email address', 'Plan'];

function Field(props: { id: string; label: string; type?: string; value: string; onChange: (value: string) => void; mirror?: boolean }) {
  return (
    <p>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete="off"
        {...(props.mirror ? { 'data-value': props.value } : {})}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </p>
  );
}

function App() {
  const [step, setStep] = useState<Step | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [identifier, setIdentifier] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [ticked, setTicked] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();

  useEffect(() => {
    void fetch(`/interaction/${uid}/state`)
      .then((response) => response.json())
      .then((reply: Reply) => setStep(reply.next));
  }, []);

  const send = async (event: SyntheticEvent | undefined, action: string, body: Record<string, unknown>) => {
    event?.preventDefault();
    setBusy(true);
    const reply: Reply = await post(action, body).catch(() => ({ error: 'The sign-in service could not be reached.' }));
    setBusy(false);
    if (reply.redirect) {
      window.location.assign(reply.redirect);
      return;
    }
    setError(reply.error);
    setNotice(reply.notice);
    // An accepted code: its toast shows on the code screen for a moment before the next screen.
    if (action === 'otp' && reply.notice) await new Promise((resolve) => setTimeout(resolve, CODE_TOAST_MS));
    if (reply.next) {
      setStep(reply.next);
      setPassword('');
      setCode('');
    }
  };

  if (!step) return <p aria-busy="true">Loading…</p>;
  switch (step.step) {
    case 'identifier':
      return (
        <Screen title="Sign in" error={error}>
          <form onSubmit={(event) => void send(event, 'identifier', { identifier })}>
            <Field id="identifier" label="Email or username" value={identifier} onChange={setIdentifier} />
            <button type="submit" disabled={busy}>
              Next
            </button>
          </form>
        </Screen>
      );
    case 'password':
      return (
        <Screen title="Enter your password" error={error}>
          <p>Signing in as {step.identifier}</p>
          <form onSubmit={(event) => void send(event, 'password', { password })}>
            <Field id="password" label="Password" type="password" value={password} onChange={setPassword} mirror />
            <button type="submit" disabled={busy || password === ''}>
              Sign in
            </button>
          </form>
        </Screen>
      );
    case 'otp':
      return (
        <Screen title="Two-step verification" error={error} notice={notice}>
          <p>Enter the code from your authenticator app.</p>
          <form onSubmit={(event) => void send(event, 'otp', { code })}>
            <Field id="otp" label="Authentication code" value={code} onChange={setCode} />
            <button type="submit" disabled={busy || code === ''}>
              Verify
            </button>
          </form>
        </Screen>
      );
    case 'stay':
      return (
        <Screen title="Stay signed in?" error={error} notice={notice}>
          <p>Stay signed in on this device to sign in less often.</p>
          <button type="button" disabled={busy} onClick={() => void send(undefined, 'stay', { stay: true })}>
            Yes
          </button>
          <button type="button" disabled={busy} onClick={() => void send(undefined, 'stay', { stay: false })}>
            No
          </button>
        </Screen>
      );
    case 'consent': {
      const scopes = step.authenticator ? [...SCOPES, 'Authenticator status'] : SCOPES;
      return step.granted ? (
        <Screen title={`Access granted to ${step.client}`} error={error}>
          <p>
            {step.client} can now see your {scopes.join(', ').toLowerCase()}.
          </p>
          <button type="button" disabled={busy} onClick={() => void send(undefined, 'consent', { share: true })}>
            Continue
          </button>
        </Screen>
      ) : (
        <Screen title={`Grant access to ${step.client}`} error={error}>
          {step.authenticator ? null : <p role="alert">Some scopes aren't available for your account.</p>}
          <fieldset>
            <legend>Scopes</legend>
            {scopes.map((scope) => (
              <p key={scope}>
                <input
                  id={scope}
                  type="checkbox"
                  checked={ticked.includes(scope)}
                  onChange={(event) => setTicked(event.target.checked ? [...ticked, scope] : ticked.filter((each) => each !== scope))}
                />
                <label htmlFor={scope}>{scope}</label>
              </p>
            ))}
          </fieldset>
          <button
            type="button"
            disabled={scopes.some((scope) => !ticked.includes(scope))}
            onClick={() => setStep({ ...step, granted: true })}
          >
            Grant access
          </button>
          <button type="button" onClick={() => void send(undefined, 'consent', { share: false })}>
            Deny
          </button>
        </Screen>
      );
    }
  }
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
