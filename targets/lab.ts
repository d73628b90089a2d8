/**
 * The embedded lab as a target profile: its web app (the PKCE single-page app on its own site),
 * its identity provider's screens (email, password, one-time code), its signed-in home and error
 * page, and its native client registrations. Built from the running lab's own description, since
 * its ports follow LAB_PORT.
 */
import type { LabDescription } from './lab-admin.ts';
import { loadTargetProfile, profileFileFor, type TargetProfile, type UpstreamProfile } from './profile.ts';

/** oidc-provider's session cookies, the lab's provider's and its upstreams'. */
const OIDC_PROVIDER_SESSION_COOKIES = ['_session', '_session.sig', '_session.legacy', '_session.legacy.sig'].map((name) => ({ name }));

/**
 * The screens and session cookies of a real provider standing in for one of the lab's upstreams,
 * from the target profile that describes it (a shipped name or a path). Only those are read: the
 * profile's other fields' `${NAME}` variables need no value here.
 */
function describedBy(profile: string, issuer: string): Pick<UpstreamProfile, 'screens' | 'sessionCookies'> {
  const file = profileFileFor(profile);
  if (!file) throw new Error(`LAB_UPSTREAMS names screensFrom "${profile}", which is neither a shipped profile nor a .json path`);
  const env = new Proxy(process.env, { get: (vars, name: string) => vars[name] ?? issuer });
  const described = loadTargetProfile(file, env);
  return { screens: described.screens, sessionCookies: described.identityProvider.sessionCookies };
}

/**
 * One of the lab's upstreams: its own screens and oidc-provider's session cookies, or, for a real
 * provider standing in for it (LAB_UPSTREAMS), those of the profile that describes that provider.
 */
function labUpstream(
  lab: LabDescription,
  name: 'microsoft' | 'google',
  emailProviders: UpstreamProfile['emailProviders'],
  screens: UpstreamProfile['screens'],
): UpstreamProfile {
  const origin = lab.urls.upstreams[name];
  const standIn = lab.urls.upstreamScreens?.[name];
  return {
    name,
    button: `Continue with ${name === 'microsoft' ? 'Microsoft' : 'Google'}`,
    emailProviders,
    origin,
    ...(standIn ? describedBy(standIn, origin) : { sessionCookies: OIDC_PROVIDER_SESSION_COOKIES, screens }),
  };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function labProfile(lab: LabDescription, tokenEndpoint: string): TargetProfile {
  return {
    name: 'lab',
    description: 'The embedded reference login stack (npm run lab)',
    app: { url: lab.urls.app, callbackUrl: `${lab.urls.app}/callback` },
    startLogin: { button: 'Log in' },
    identityProvider: {
      issuer: lab.urls.issuer,
      sessionCookies: OIDC_PROVIDER_SESSION_COOKIES,
    },
    screens: {
      typing: 'fill',
      // Beside "Continue with Microsoft" and "Continue with Google": the button named Continue and nothing more.
      email: { field: { label: 'Email address' }, submit: /^Continue$/, value: 'email' },
      password: { field: { label: 'Password' }, submit: 'Continue' },
      secondFactor: { field: { label: 'Verification code' }, submit: 'Continue', channels: ['totp', 'sms', 'email'] },
      interstitials: [],
      notices: [],
    },
    // The upstreams behind "Continue with Microsoft" / "Continue with Google", each in its own words.
    federation: [
      labUpstream(lab, 'microsoft', ['outlook'], {
        typing: 'fill',
        email: { field: { label: 'Email, phone, or Skype' }, submit: 'Next', value: 'email' },
        password: { field: { label: 'Password' }, submit: 'Sign in' },
        consent: { recognise: { heading: 'Permissions requested' }, steps: [{ click: 'Accept' }] },
        interstitials: [{ name: 'Stay signed in?', recognise: { heading: 'Stay signed in?' }, steps: [{ click: 'No' }] }],
        notices: [],
      }),
      labUpstream(lab, 'google', ['gmail'], {
        typing: 'fill',
        email: { field: { label: 'Email or phone' }, submit: 'Next', value: 'email' },
        password: { field: { label: 'Enter your password' }, submit: 'Next' },
        consent: { recognise: { heading: 'Sign in to authmatrix' }, steps: [{ click: 'Continue' }] },
        interstitials: [
          { name: 'Choose an account', recognise: { heading: 'Choose an account' }, steps: [{ click: 'Use another account' }] },
        ],
        notices: [],
      }),
    ],
    signedIn: {
      visible: { heading: "You're signed in" },
      accountEmail: { role: 'status', name: 'Account email' },
      plan: { role: 'status', name: 'Plan' },
    },
    tokenExchange: { url: new RegExp(`^${escape(tokenEndpoint)}(\\?|$)`), method: 'POST' },
    error: {
      visible: { heading: /could not sign you in|could not be matched|was not completed/i },
      code: { text: /^error_code:\s*(.+)$/ },
      requestId: { text: /^request_id:\s*(.+)$/ },
      diagnosticsRegion: 'Diagnostics',
      retry: 'Try again',
    },
    nativeClients: {
      ios: { ...lab.clients.ios, tokenEndpoint: lab.urls.mobileToken },
      cli: { ...lab.clients.cli, tokenEndpoint },
    },
  };
}
