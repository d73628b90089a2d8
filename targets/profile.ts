/**
 * A target profile: everything the suite needs to know about one login deployment — where the
 * app starts, how login starts, the accessible names on each screen, how the signed-in state, the
 * token exchange and an error page are recognised. Page objects read these and nothing else, so
 * the embedded lab (targets/lab.ts) and a deployment described in JSON (targets/*.json) run
 * through the same code.
 *
 * In JSON, a text to match is a string (matched as Playwright matches accessible names: case-
 * insensitive substring) or {"regex": "...", "flags": "i"}; a URL pattern is always a regex.
 * `${NAME}` in any string is replaced by the environment variable NAME (from .env or the shell).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EMAIL_PROVIDERS, MFAS, PHONES, PLANS, type FixedAxes } from '../matrix/axes.ts';

/** How a one-time code reaches the user: an authenticator app, a text message, or an email. */
export type SecondFactorChannel = 'totp' | 'sms' | 'email';

export type TextMatch = string | RegExp;

/** How a form field is found: by its label, its placeholder, or its role and accessible name. */
export type FieldRef = { label: TextMatch } | { placeholder: TextMatch } | { role: 'textbox' | 'spinbutton'; name: TextMatch };

/** Something visible that marks a state: a heading or a text. */
export type Visible = { heading: TextMatch } | { text: TextMatch };

/**
 * A value read off the page: an element by role and name (its text is the value), or a text
 * matching a regex whose first group is the value.
 */
export type Reader = { role: 'status' | 'heading' | 'paragraph' | 'cell'; name: TextMatch } | { text: RegExp };

/** One thing a user does on a consent or interstitial screen: a button or link clicked, a checkbox set. */
export type ScreenAction = { click: TextMatch } | { link: TextMatch } | { check: TextMatch } | { uncheck: TextMatch };

/** A screen met on the way that is not a credential screen: consent, "Stay signed in?", an account picker. */
export interface PassThroughScreen {
  /** What marks the screen; for consent, by default its first button or link. */
  recognise: Visible | { button: TextMatch } | { link: TextMatch };
  /** What to do there, in order. */
  steps: ScreenAction[];
}

/** A session cookie of the provider: its name, and the attributes it is set with where they matter. */
export interface SessionCookie {
  name: string;
  /** Default: the issuer's host, host-only. */
  domain?: string;
  /** Default: "/". */
  path?: string;
  sameSite?: 'Strict' | 'Lax' | 'None';
  secure?: boolean;
}

export interface NativeClientProfile {
  clientId: string;
  redirectUri: string;
  scope: string;
  /** Where this client exchanges its code (defaults to the issuer's token endpoint). */
  tokenEndpoint?: string;
}

export interface TargetProfile {
  name: string;
  description: string;
  app: {
    /** The page a user opens first. */
    url: string;
    /** The URL the identity provider sends the code back to (a prefix). */
    callbackUrl: string;
  };
  /** How login starts from the app's page: a button or link by its accessible name, or a URL to open. */
  startLogin: { button: TextMatch } | { link: TextMatch } | { url: string };
  identityProvider: {
    issuer: string;
    /**
     * The provider's session cookies, by name, or with the attributes the provider sets them with
     * (domain, path, SameSite, Secure); the `returning` cookie condition plants stale copies.
     */
    sessionCookies: SessionCookie[];
  };
  screens: {
    /** How fields are typed: `fill` (the default) or `keys`, key by key, for a page that needs key events. */
    typing: 'fill' | 'keys';
    /**
     * The identifier screen: the account's email address, or (`value: "login"`) its `login` from
     * ACCOUNTS_FILE, for a provider that asks for a user name. Without `submit`, the password
     * field is on the same screen.
     */
    email: { field: FieldRef; submit?: TextMatch; value: 'email' | 'login' };
    password: { field: FieldRef; submit: TextMatch };
    /**
     * The second factor, handled when the provider shows it (to every account, or to enrolled
     * ones only); `channels` are the ways it sends codes. Absent when it never asks.
     */
    secondFactor?: {
      field: FieldRef;
      submit: TextMatch;
      channels: SecondFactorChannel[];
      /**
       * How many periods ahead the provider accepts a TOTP code: 1 (default) lets a second sign-in
       * within a period use the next code; 0, for a provider that refuses a user's next code until
       * its period comes, makes the sign-in wait for the next period.
       */
      totpLookahead?: 0 | 1;
    };
    /** A consent screen, passed through when it is shown. */
    consent?: PassThroughScreen;
    /** Optional screens ("Stay signed in?", an account picker), each passed through when it is shown. */
    interstitials: (PassThroughScreen & { name: string })[];
    /**
     * How the provider says it refused a step (a wrong password, a stale code) when it does not use
     * an alert: a text or heading shown with the form. An element with role `alert` always counts.
     */
    refusal?: Visible;
  };
  signedIn: {
    url?: RegExp;
    visible?: Visible;
    accountEmail?: Reader;
    plan?: Reader;
  };
  /** The token exchange as seen on the wire from the browser. */
  tokenExchange: { url: RegExp; method: string };
  error: {
    url?: RegExp;
    visible?: Visible;
    /** URL query parameters that carry the error code and request id. */
    codeParam?: string;
    requestIdParam?: string;
    code?: Reader;
    requestId?: Reader;
    /** The message a user reads (an alert, by default). */
    message?: Reader;
    /** A region holding a JSON diagnostics block. */
    diagnosticsRegion?: TextMatch;
    /** The button that starts over. */
    retry?: TextMatch;
  };
  /** Native clients the deployment registers, for the ios-app and desktop-cli profiles. */
  nativeClients?: { ios?: NativeClientProfile; cli?: NativeClientProfile };
  /**
   * Account axes that do not apply to this target, each held to one value: a target with no
   * phones says `{ "phone": "none" }`, and its cells all take that value (the report says so).
   */
  fixedAxes?: FixedAxes;
}

export class TargetProfileError extends Error {
  constructor(file: string, problems: readonly string[]) {
    super(
      `target profile ${file} is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\nSee targets/oidc-dev.json and the README ("Point it at your deployment") for every field.`,
    );
    this.name = 'TargetProfileError';
  }
}

const Regex = z
  .strictObject({
    regex: z.string().min(1),
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'flags may be i, m, s, u')
      .optional(),
  })
  .transform((value, ctx) => {
    try {
      return new RegExp(value.regex, value.flags);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not a valid regex: ${(error as Error).message}` });
      return z.NEVER;
    }
  });
const Text = z.union([z.string().min(1), Regex]);
const Field = z.union([
  z.strictObject({ label: Text }),
  z.strictObject({ placeholder: Text }),
  z.strictObject({ role: z.enum(['textbox', 'spinbutton']), name: Text }),
]);
const VisibleSchema = z.union([z.strictObject({ heading: Text }), z.strictObject({ text: Text })]);
const ReaderSchema = z.union([
  z.strictObject({ role: z.enum(['status', 'heading', 'paragraph', 'cell']), name: Text }),
  z.strictObject({ text: Regex }),
]);
const Action = z.union([
  z.strictObject({ click: Text }),
  z.strictObject({ link: Text }),
  z.strictObject({ check: Text }),
  z.strictObject({ uncheck: Text }),
]);
const Recognise = z.union([VisibleSchema, z.strictObject({ button: Text }), z.strictObject({ link: Text })]);
const PassThrough = z.strictObject({ recognise: Recognise, steps: z.array(Action).min(1) });
/** Consent: `{submit}` (one button), or screens with any steps; recognised by default by its first button or link. */
const Consent = z
  .union([z.strictObject({ submit: Text }), z.strictObject({ recognise: Recognise.optional(), steps: z.array(Action).min(1) })])
  .transform((consent): { recognise: z.infer<typeof Recognise>; steps: z.infer<typeof Action>[] } | undefined => {
    if ('submit' in consent) return { recognise: { button: consent.submit }, steps: [{ click: consent.submit }] };
    const first = consent.steps.find((step) => 'click' in step || 'link' in step);
    const recognise =
      consent.recognise ??
      (first && 'click' in first ? { button: first.click } : first && 'link' in first ? { link: first.link } : undefined);
    return recognise ? { recognise, steps: consent.steps } : undefined;
  })
  .refine((consent) => consent !== undefined, 'consent needs `recognise`, or a step that clicks a button or link to recognise it by');
const HttpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });
const Native = z.strictObject({
  clientId: z.string().min(1),
  redirectUri: z.string().min(1),
  scope: z.string().min(1),
  tokenEndpoint: HttpUrl.optional(),
});

const ProfileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a lower-case name such as my-staging'),
    description: z.string().min(1),
    app: z.strictObject({ url: HttpUrl, callbackUrl: HttpUrl }),
    startLogin: z.union([z.strictObject({ button: Text }), z.strictObject({ link: Text }), z.strictObject({ url: HttpUrl })]),
    identityProvider: z.strictObject({
      issuer: HttpUrl,
      sessionCookies: z
        .array(
          z.union([
            z.string().min(1),
            z.strictObject({
              name: z.string().min(1),
              domain: z.string().min(1).optional(),
              path: z.string().startsWith('/', 'must start with /').optional(),
              sameSite: z.enum(['Strict', 'Lax', 'None']).optional(),
              secure: z.boolean().optional(),
            }),
          ]),
        )
        .default([])
        .transform((cookies) => cookies.map((cookie) => (typeof cookie === 'string' ? { name: cookie } : cookie))),
    }),
    screens: z.strictObject({
      typing: z.enum(['fill', 'keys']).default('fill'),
      email: z.strictObject({ field: Field, submit: Text.optional(), value: z.enum(['email', 'login']).default('email') }),
      password: z.strictObject({ field: Field, submit: Text }),
      secondFactor: z
        .strictObject({
          field: Field,
          submit: Text,
          channels: z.array(z.enum(['totp', 'sms', 'email'])).min(1),
          totpLookahead: z.union([z.literal(0), z.literal(1)]).optional(),
        })
        .optional(),
      consent: Consent.optional(),
      interstitials: z.array(PassThrough.extend({ name: z.string().min(1) })).default([]),
      refusal: VisibleSchema.optional(),
    }),
    signedIn: z
      .strictObject({
        url: Regex.optional(),
        visible: VisibleSchema.optional(),
        accountEmail: ReaderSchema.optional(),
        plan: ReaderSchema.optional(),
      })
      .refine((value) => value.url ?? value.visible, 'needs url or visible, to recognise the signed-in state'),
    tokenExchange: z.strictObject({ url: Regex, method: z.enum(['GET', 'POST']) }),
    error: z
      .strictObject({
        url: Regex.optional(),
        visible: VisibleSchema.optional(),
        codeParam: z.string().min(1).optional(),
        requestIdParam: z.string().min(1).optional(),
        code: ReaderSchema.optional(),
        requestId: ReaderSchema.optional(),
        message: ReaderSchema.optional(),
        diagnosticsRegion: Text.optional(),
        retry: Text.optional(),
      })
      .refine((value) => value.url ?? value.visible, 'needs url or visible, to recognise an error page'),
    nativeClients: z.strictObject({ ios: Native.optional(), cli: Native.optional() }).optional(),
    fixedAxes: z
      .strictObject({
        emailProvider: z.enum(EMAIL_PROVIDERS).optional(),
        phone: z.enum(PHONES).optional(),
        plan: z.enum(PLANS).optional(),
        mfa: z.enum(MFAS).optional(),
      })
      .optional(),
  })
  .transform(({ $schema: _schema, ...profile }) => profile);

/** Replaces `${NAME}` with the variable's value; an unset variable is a problem named with its place. */
function substitute(value: unknown, env: Record<string, string | undefined>, where: string, problems: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_match, name: string) => {
      const found = env[name];
      if (found === undefined || found.trim() === '') {
        problems.push(`${where} uses \${${name}}, which is not set; set ${name} in .env`);
        return '';
      }
      return found.trim().replace(/\/$/, '');
    });
  }
  if (Array.isArray(value)) return value.map((item: unknown, index) => substitute(item, env, `${where}[${index}]`, problems));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substitute(item, env, where ? `${where}.${key}` : key, problems)]),
    );
  return value;
}

export function parseTargetProfile(text: string, file: string, env: Record<string, string | undefined>): TargetProfile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TargetProfileError(file, [`it is not JSON: ${(error as Error).message}`]);
  }
  const problems: string[] = [];
  const substituted = substitute(json, env, '', problems);
  if (problems.length) throw new TargetProfileError(file, problems);
  const parsed = ProfileSchema.safeParse(substituted);
  if (!parsed.success) {
    throw new TargetProfileError(
      file,
      parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'the profile'}: ${issue.message}`),
    );
  }
  return parsed.data as TargetProfile;
}

/** Profiles shipped with the suite, by name; TARGET may also be the path of a profile JSON file. */
export const SHIPPED_PROFILES: Record<string, string> = {
  'oidc-dev': 'targets/oidc-dev.json',
  'react-idp': 'targets/react-idp.json',
  'django-idp': 'targets/django-idp.json',
  'lemonldap-idp': 'targets/lemonldap-idp.json',
};

export function profileFileFor(target: string): string | undefined {
  if (target in SHIPPED_PROFILES) return path.resolve(SHIPPED_PROFILES[target] ?? '');
  if (target.endsWith('.json')) return path.resolve(target);
  return undefined;
}

export function loadTargetProfile(file: string, env: Record<string, string | undefined>): TargetProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TargetProfileError(file, [`it cannot be read: ${(error as Error).message}`]);
  }
  return parseTargetProfile(text, file, env);
}

/**
 * The profile's JSON Schema, generated from the schema the suite validates with (what a profile
 * file may hold, before `${NAME}` substitution): shipped as targets/profile.schema.json so that
 * editors complete and check profiles that name it in `$schema`.
 */
export function profileJsonSchema(): Record<string, unknown> {
  // A URL in a profile may be `${BASE_URL}/`, substituted only when it is read: no format is asserted.
  const withoutFormats = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(withoutFormats)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([key]) => key !== 'format')
              .map(([key, item]) => [key, withoutFormats(item)]),
          )
        : value;
  const schema = withoutFormats(z.toJSONSchema(ProfileSchema, { io: 'input', unrepresentable: 'any' })) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://authmatrix.invalid/targets/profile.schema.json',
    title: 'authmatrix target profile',
    description: 'A login deployment as the authmatrix suite sees it: see the README, "Point it at your deployment", for every field.',
  };
}
