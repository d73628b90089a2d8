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
import { EMAIL_PROVIDERS, METHODS, MFAS, PHONES, PLANS, SECOND_FACTOR_CHANNELS } from '../matrix/axes.ts';

export class TargetProfileError extends Error {
  constructor(file: string, problems: readonly string[]) {
    super(
      `target profile ${file} is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\nSee targets/oidc-dev.json and the README ("Point it at your deployment") for every field.`,
    );
    this.name = 'TargetProfileError';
  }
}

/** A union whose wrong form is named with the forms it accepts, not zod's bare "Invalid input". */
function oneOf<const Options extends readonly [z.ZodType, z.ZodType, ...z.ZodType[]]>(options: Options, forms: string) {
  return z.union(options, { error: () => `expected ${forms}` });
}

const Regex = z
  .strictObject({
    regex: z.string().min(1).describe('A JavaScript regular expression, without slashes.'),
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'flags may be i, m, s, u')
      .optional()
      .describe('Regular-expression flags: i, m, s, u.'),
  })
  .describe('A regular expression: {"regex": "^Sign in$", "flags": "i"}.')
  .transform((value, ctx) => {
    try {
      return new RegExp(value.regex, value.flags);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not a valid regex: ${(error as Error).message}` });
      return z.NEVER;
    }
  });
const Text = oneOf(
  [z.string().min(1), Regex],
  'a text (a case-insensitive substring of the accessible name) or {"regex": "…", "flags": "i"}',
).describe('A text to match: a string (case-insensitive substring, as Playwright matches names) or {"regex": "…", "flags": "i"}.');
export type TextMatch = z.output<typeof Text>;

const Field = oneOf(
  [
    z.strictObject({ label: Text.describe("The field's label, as a screen reader announces it.") }),
    z.strictObject({ placeholder: Text.describe("The field's placeholder text.") }),
    z.strictObject({
      role: z.enum(['textbox', 'spinbutton']).describe("The field's ARIA role."),
      name: Text.describe("The field's accessible name."),
    }),
  ],
  '{"label": …}, {"placeholder": …} or {"role": "textbox"|"spinbutton", "name": …}',
).describe('How a form field is found: by its label, its placeholder, or its role and accessible name.');
/** How a form field is found: by its label, its placeholder, or its role and accessible name. */
export type FieldRef = z.output<typeof Field>;

const VisibleSchema = oneOf(
  [
    z.strictObject({ heading: Text.describe('A heading (h1–h6 or role=heading) with this name.') }),
    z.strictObject({ text: Text.describe('Any element showing this text.') }),
  ],
  '{"heading": …} or {"text": …}',
).describe('Something visible that marks a state: a heading or a text.');
/** Something visible that marks a state: a heading or a text. */
export type Visible = z.output<typeof VisibleSchema>;

const ReaderSchema = oneOf(
  [
    z.strictObject({
      role: z.enum(['status', 'heading', 'paragraph', 'cell']).describe("The element's role; its text is the value."),
      name: Text.optional().describe(
        "The element's accessible name; without one, the first element of the role (a status line rarely has a name).",
      ),
    }),
    z.strictObject({ text: Regex.describe("A regex over an element's whole text; its first group is the value.") }),
  ],
  '{"role": "status"|"heading"|"paragraph"|"cell", "name"?: …} or {"text": {"regex": "^Signed in as (.+)$"}}',
).describe(
  'A value read off the page: an element by role and name (its text is the value), or a text matching a regex whose first group is the value.',
);
/** A value read off the page: an element by role and name, or a text matching a regex whose first group is the value. */
export type Reader = z.output<typeof ReaderSchema>;

const StepOptions = {
  optional: z.boolean().optional().describe('Done when its element is there, skipped when it is not.'),
  when: z
    .strictObject({
      mfa: z.enum(MFAS).optional().describe('Only for accounts with (totp) or without (none) an authenticator.'),
      phone: z.enum(PHONES).optional().describe('Only for accounts with (bound) or without (none) a phone.'),
    })
    .optional()
    .describe('Only for some accounts: {"mfa": "totp"} is a step for accounts with an authenticator alone.'),
};
const Action = oneOf(
  [
    z.strictObject({ click: Text.describe('Click the button with this name.'), ...StepOptions }),
    z.strictObject({ link: Text.describe('Follow the link with this name.'), ...StepOptions }),
    z.strictObject({ check: Text.describe('Tick the checkbox with this name.'), ...StepOptions }),
    z.strictObject({ uncheck: Text.describe('Untick the checkbox with this name.'), ...StepOptions }),
    z.strictObject({
      checkAll: z
        .union([z.literal(true), Text])
        .describe('Tick every unticked box: true for the whole screen, or the name of the group or list that holds them.'),
      ...StepOptions,
    }),
  ],
  '{"click": …}, {"link": …}, {"check": …}, {"uncheck": …} or {"checkAll": true | "<group name>"}, each with optional "optional" and "when"',
).describe('One thing a user does on a consent or interstitial screen.');
/** One thing a user does on a consent or interstitial screen: a button or link clicked, a checkbox set. */
export type ScreenAction = z.output<typeof Action>;

const Recognise = oneOf(
  [
    VisibleSchema,
    z.strictObject({ button: Text.describe('A button with this name.') }),
    z.strictObject({ link: Text.describe('A link with this name.') }),
  ],
  '{"heading": …}, {"text": …}, {"button": …} or {"link": …}',
).describe('What marks the screen.');
const PassThrough = z.strictObject({
  recognise: Recognise,
  steps: z.array(Action).min(1).describe('What to do there, in order.'),
});
/** A screen met on the way that is not a credential screen: consent, "Stay signed in?", an account picker. */
export type PassThroughScreen = z.output<typeof PassThrough>;

/** Consent: `{submit}` (one button), or screens with any steps; recognised by default by its first button or link. */
const Consent = oneOf(
  [
    z.strictObject({ submit: Text.describe('The one button that grants consent.') }),
    z.strictObject({ recognise: Recognise.optional(), steps: z.array(Action).min(1).describe('What to do there, in order.') }),
  ],
  '{"submit": …} or {"recognise"?: …, "steps": [...]}',
)
  .describe(
    'A consent screen, passed through when it is shown: {"submit": "Allow"}, or steps (ticking scopes, some only for some accounts).',
  )
  .transform((consent, ctx): PassThroughScreen => {
    if ('submit' in consent) return { recognise: { button: consent.submit }, steps: [{ click: consent.submit }] };
    const first = consent.steps.find((step) => 'click' in step || 'link' in step);
    const recognise =
      consent.recognise ??
      (first && 'click' in first ? { button: first.click } : first && 'link' in first ? { link: first.link } : undefined);
    if (recognise) return { recognise, steps: consent.steps };
    ctx.addIssue({ code: 'custom', message: 'consent needs `recognise`, or a step that clicks a button or link to recognise it by' });
    return z.NEVER;
  });
const HttpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });
const Native = z
  .strictObject({
    clientId: z.string().min(1).describe('The client_id the provider registered for this client.'),
    redirectUri: z.string().min(1).describe('Its redirect URI: a custom scheme (iOS) or a loopback URL (CLI).'),
    scope: z.string().min(1).describe('The scopes it asks for.'),
    tokenEndpoint: HttpUrl.optional().describe("Where this client exchanges its code (default: the issuer's token endpoint)."),
  })
  .describe('A native client the deployment registers.');
export type NativeClientProfile = z.output<typeof Native>;

const SessionCookieSchema = z
  .strictObject({
    name: z.string().min(1).describe("The cookie's name."),
    domain: z.string().min(1).optional().describe("Its Domain attribute (default: the issuer's host, host-only)."),
    path: z.string().startsWith('/', 'must start with /').optional().describe('Its Path (default "/").'),
    sameSite: z.enum(['Strict', 'Lax', 'None']).optional().describe('Its SameSite attribute.'),
    secure: z.boolean().optional().describe('Whether it is Secure.'),
  })
  .describe('A session cookie of the provider, with the attributes it is set with.');
/** A session cookie of the provider: its name, and the attributes it is set with where they matter. */
export type SessionCookie = z.output<typeof SessionCookieSchema>;

const ScreensSchema = z
  .strictObject({
    typing: z
      .enum(['fill', 'keys'])
      .default('fill')
      .describe('How fields are typed: fill (default), or keys, key by key, for a page that needs key events.'),
    email: z
      .strictObject({
        field: Field,
        submit: Text.optional().describe('Its button; without one, the password field is on the same screen.'),
        value: z
          .enum(['email', 'login'])
          .default('email')
          .describe("What is typed: the account's email (default) or its login from ACCOUNTS_FILE."),
      })
      .describe('The identifier screen.'),
    password: z.strictObject({ field: Field, submit: Text.describe('Its button.') }).describe('The password screen.'),
    secondFactor: z
      .strictObject({
        field: Field,
        submit: Text.describe('Its button.'),
        channels: z.array(z.enum(SECOND_FACTOR_CHANNELS)).min(1).describe('The ways the provider sends codes: totp, sms, email.'),
        totpLookahead: z
          .union([z.literal(0), z.literal(1)])
          .optional()
          .describe(
            "How many periods ahead the provider accepts a TOTP code: 1 (default), or 0 for one that refuses a user's next code until its period comes.",
          ),
        remembersDevice: z
          .boolean()
          .optional()
          .describe('The provider skips the second factor on a device it remembers: excuses returning cells only (the report says so).'),
      })
      .optional()
      .describe(
        'The second factor, handled when the provider shows it. An account with TOTP that is never asked for its code fails as security-regression.',
      ),
    consent: Consent.optional(),
    interstitials: z
      .array(PassThrough.extend({ name: z.string().min(1).describe('A name for the screen, in reports.') }))
      .default([])
      .describe('Screens passed through when shown ("Stay signed in?", an account picker).'),
    refusal: VisibleSchema.optional().describe(
      'How the provider says it refused a step, when not (only) with role=alert: counted as soon as it shows with the screen still up.',
    ),
    notices: z
      .array(Text)
      .default([])
      .describe(
        'Words of notices (toasts, role=alert or role=status) that never refuse a step, beyond the built-in success and progress words.',
      ),
  })
  .describe("The provider's screens.");
/** The screens of a provider (the client's own, or an upstream one). */
export type ProviderScreensProfile = z.output<typeof ScreensSchema>;

const SessionCookies = z
  .array(
    oneOf(
      [z.string().min(1), SessionCookieSchema],
      'a cookie name, or {"name": …, "domain"?: …, "path"?: …, "sameSite"?: …, "secure"?: …}',
    ),
  )
  .default([])
  .transform((cookies) => cookies.map((cookie): SessionCookie => (typeof cookie === 'string' ? { name: cookie } : cookie)));

const UpstreamSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a lower-case name such as microsoft')
      .describe('A short lower-case name for the upstream, in reports: microsoft, google.'),
    button: Text.describe('The button or link on the provider\'s sign-in screen that starts it: "Continue with Microsoft".'),
    emailProviders: z
      .array(z.enum(EMAIL_PROVIDERS))
      .min(1)
      .describe('The accounts that sign in through it, by email provider: ["outlook"] for Microsoft, ["gmail"] for Google.'),
    origin: HttpUrl.optional().describe(
      "The upstream's site (https://login.microsoftonline.com); without it, any site that is neither the provider's nor the app's.",
    ),
    sessionCookies: SessionCookies.describe(
      "The upstream's session cookies, as identityProvider.sessionCookies: the returning cookie condition plants stale copies of them too (needs origin).",
    ),
    screens: ScreensSchema.describe("The upstream's own screens, described as the provider's are."),
  })
  .describe('An upstream provider the identity provider federates to ("Continue with Microsoft").');
/** An upstream provider the identity provider federates to, and its screens. */
export type UpstreamProfile = z.output<typeof UpstreamSchema>;

const ProfileSchema = z
  .strictObject({
    $schema: z.string().optional().describe('The JSON Schema this file follows ("./profile.schema.json"), for editors.'),
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a lower-case name such as my-staging')
      .describe('A short lower-case name for the deployment, shown in reports.'),
    description: z.string().min(1).describe('One line on what this deployment is.'),
    app: z
      .strictObject({
        url: HttpUrl.describe('The page a user opens first.'),
        callbackUrl: HttpUrl.describe('The URL the identity provider sends the code back to (a prefix).'),
      })
      .describe('The app a user signs in to.'),
    startLogin: oneOf(
      [
        z.strictObject({ button: Text.describe('A button with this name.') }),
        z.strictObject({ link: Text.describe('A link with this name.') }),
        z.strictObject({ url: HttpUrl.describe('A URL that starts the login.') }),
      ],
      '{"button": …}, {"link": …} or {"url": "https://…"}',
    ).describe("How login starts from the app's page."),
    identityProvider: z
      .strictObject({
        issuer: HttpUrl.describe("The OpenID Provider's issuer (its discovery document is read from it)."),
        sessionCookies: SessionCookies.describe(
          "The provider's session cookies, by name or with their attributes; the returning cookie condition plants stale copies.",
        ),
      })
      .describe('The identity provider.'),
    screens: ScreensSchema,
    federation: z
      .array(UpstreamSchema)
      .optional()
      .describe(
        'Upstream providers behind "Continue with …" buttons: federated accounts (method "federated" in ACCOUNTS_FILE) sign in through the one for their email provider. Without it, the method axis is held to password.',
      ),
    signedIn: z
      .strictObject({
        url: Regex.optional().describe('A URL pattern of the signed-in page.'),
        visible: VisibleSchema.optional(),
        accountEmail: ReaderSchema.optional().describe("Where the signed-in page shows the account's email."),
        plan: ReaderSchema.optional().describe("Where it shows the account's plan (Plus or Free)."),
      })
      .refine((value) => value.url ?? value.visible, 'needs url or visible, to recognise the signed-in state')
      .describe("The app's signed-in state."),
    tokenExchange: z
      .strictObject({
        url: Regex.describe(
          "The token endpoint as a regex. Anchored with a literal start (^http://host:port/token) only its requests are held; a pattern alone (/token$) holds the page's fetch and XHR requests.",
        ),
        method: z.enum(['GET', 'POST']).describe('Its method, POST for OAuth.'),
        codeLifetimeSeconds: z
          .number()
          .positive()
          .optional()
          .describe(
            "How long the provider's authorization codes live: a refusal worded 'expired' for a younger code is not called code-expired.",
          ),
      })
      .describe('The token exchange as seen on the wire from the browser.'),
    error: z
      .strictObject({
        url: Regex.optional().describe("A URL pattern of the app's error page."),
        visible: VisibleSchema.optional(),
        codeParam: z.string().min(1).optional().describe('The URL query parameter that carries the error code.'),
        requestIdParam: z.string().min(1).optional().describe('The URL query parameter that carries the request id.'),
        code: ReaderSchema.optional().describe('Where the page shows the error code.'),
        requestId: ReaderSchema.optional().describe('Where the page shows the request id.'),
        message: ReaderSchema.optional().describe('The message a user reads (by default the first role=alert).'),
        diagnosticsRegion: Text.optional().describe('The name of a region (role=region) holding a <pre> JSON block of diagnostics.'),
        retry: Text.optional().describe('The button or link that starts over.'),
      })
      .refine((value) => value.url ?? value.visible, 'needs url or visible, to recognise an error page')
      .describe("The app's error page."),
    nativeClients: z
      .strictObject({ ios: Native.optional(), cli: Native.optional() })
      .optional()
      .describe('Native clients the deployment registers, for the ios-app and desktop-cli profiles.'),
    fixedAxes: z
      .strictObject({
        emailProvider: z.enum(EMAIL_PROVIDERS).optional(),
        phone: z.enum(PHONES).optional(),
        plan: z.enum(PLANS).optional(),
        mfa: z.enum(MFAS).optional(),
        method: z.enum(METHODS).optional(),
      })
      .optional()
      .describe('Account axes that do not apply to this target, each held to one value ({"phone": "none"}).'),
  })
  .transform(({ $schema: _schema, ...profile }) => profile);

/** A login deployment as the suite sees it (the validated, substituted profile). */
export type TargetProfile = z.output<typeof ProfileSchema>;

/** A client as the provider registered it: what it asks for and where its code comes back. */
export interface ClientRegistration {
  clientId: string;
  redirectUri: string;
  scope: string;
}

/** The system under test: the embedded lab, or a deployment described by a target profile. */
export type TargetSetting = { kind: 'lab' } | { kind: 'profile'; name: string; profile: TargetProfile };

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
  return parsed.data;
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
