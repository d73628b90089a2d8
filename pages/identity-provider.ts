import { expect, type Locator, type Page } from '@playwright/test';
import { AuthmatrixError, type Classification } from '../evidence/verdict.ts';
import { secondFactorChannel, TOTP_PERIOD_MS, upstreamOf, type CodeSource, type JourneyAccount } from '../accounts/account.ts';
import type { SecondFactorChannel } from '../matrix/axes.ts';
import type { TargetProfile, TextMatch, UpstreamProfile } from '../targets/profile.ts';
import { EmailPage } from './email.page.ts';
import { askNow, buttonLocator, firstText, visibleLocator } from './locate.ts';
import { journeyStep } from '../evidence/timeline.ts';
import { PassThroughPage } from './pass-through.page.ts';
import { PasswordPage } from './password.page.ts';
import { SecondFactorPage } from './second-factor.page.ts';

/** The identity provider's screens as its target profile describes them, and the upstreams it federates to. */
export type ProviderProfile = Pick<TargetProfile, 'screens' | 'identityProvider'> & Partial<Pick<TargetProfile, 'federation'>>;

/** A screen of the provider (or, with `via`, of the upstream it sent the browser to) the journey can recognise and act on. */
export type ProviderScreen = (
  | { kind: 'identifier'; withPassword: boolean }
  | { kind: 'password' }
  | { kind: 'second-factor' }
  | { kind: 'pass-through'; page: PassThroughPage }
) & { via?: UpstreamScreens };

/** An upstream provider's screens, met between the provider's "Continue with …" and its return. */
interface UpstreamScreens {
  name: string;
  profile: UpstreamProfile;
  screens: IdentityProviderScreens;
}

/** Why a journey stopped on the provider's screens. */
export type LoginStepReason =
  'unknown-screen' | 'step-refused' | 'screen-stuck' | 'screen-repeated' | 'no-code-channel' | 'no-login' | 'no-upstream';

function loginStepVerdict(reason: LoginStepReason, screen: string | undefined, summary: string): Classification {
  switch (reason) {
    case 'no-code-channel':
      return { category: 'test-defect', cause: 'account-has-no-code-channel', summary };
    case 'no-login':
      return { category: 'test-defect', cause: 'account-has-no-login', summary };
    case 'no-upstream':
      return { category: 'test-defect', cause: 'account-has-no-upstream', summary };
    case 'step-refused':
      return { category: 'login-step-failed', cause: screen ?? 'step-refused', summary };
    default:
      return { category: 'login-step-failed', cause: reason, summary };
  }
}

/** What a sign-in stopped on: the profile's name for it and the page's own words, for the failure message. */
export class LoginStepError extends AuthmatrixError {
  constructor(
    /** Why the journey stopped. */
    readonly reason: LoginStepReason,
    /** The screen it stopped on, when it knew it. */
    readonly screen: string | undefined,
    summary: string,
  ) {
    super(loginStepVerdict(reason, screen, summary));
  }
}

/**
 * Words of a notice that tells of success or progress, never of a refusal ("Authentication
 * success", "Code accepted", "Signing you in…"): such a notice, shown on the screen after a step or
 * for a moment before the screen moves on, never refuses the step.
 */
const SUCCESS_NOTICE =
  /\b(success(ful(ly)?)?|succeeded|accepted|verified|welcome( back)?|signed in|logged in|signing you in|redirecting|code sent|we sent)\b/i;

/**
 * How long a refusal must stand before it counts: the same words, on the same screen, with none
 * of the page's requests in flight. A single-page login may show a notice for most of a second
 * before it moves on; a refusal stays.
 */
const REFUSAL_SETTLE_MS = 1_500;

/** How often one screen may come back before the journey calls it a loop. */
const MAX_VISITS_PER_SCREEN = 3;

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/** The screen as its own provider's screens see it. */
function withoutVia(screen: ProviderScreen): ProviderScreen {
  const { via: _via, ...own } = screen;
  return own;
}

const screenName = (screen: ProviderScreen) =>
  `${screen.via ? `${screen.via.name} ` : ''}${screen.kind === 'pass-through' ? screen.page.title : screen.kind}`;

/**
 * The identity provider's screens, met in whatever order the provider shows them: the journey
 * recognises the screen that is showing, acts on it, and goes on until the client says it is done
 * (the app shows signed-in or its error page; a native client caught its redirect). A second
 * factor, consent or an interstitial is handled when it appears and only then. A screen the
 * profile does not describe stops the run with what the page shows.
 */
export class IdentityProviderScreens {
  readonly email: EmailPage;
  readonly password: PasswordPage;
  readonly secondFactor: SecondFactorPage | undefined;
  readonly consent: PassThroughPage | undefined;
  readonly interstitials: PassThroughPage[];
  readonly alert: Locator;
  /** The kinds of screen this journey acted on (identifier, password, second-factor, pass-through), for the verdict. */
  readonly acted = new Set<ProviderScreen['kind']>();
  /** What the profile names as a refusal, when it does: counted as soon as it stands. */
  readonly #namedRefusal: Locator | undefined;
  /** Notices the profile says are never refusals. */
  readonly #notices: readonly TextMatch[];
  /** Requests of the page still waiting for an answer: while any is, the page has not settled. */
  #inFlight = 0;
  /** When the last second-factor step began, and when the period of the code used before it began. */
  #codeStep: { channel: SecondFactorChannel; previousCodeAt: number | undefined } | undefined;

  /** The provider's origin, where none of the client's own pages are: its screens are looked for first there. */
  readonly #providerOrigin: string | undefined;
  /** Every origin of the provider and the client: a page elsewhere, during a federated sign-in, is the upstream's. */
  readonly #ownOrigins: Set<string | undefined>;
  /** The upstream the account being signed in goes through, for a federated account. */
  #upstream: UpstreamScreens | undefined;

  /** `clientUrls`: where the client's own pages are (the web app's start and callback). */
  constructor(
    private readonly page: Page,
    private readonly profile: ProviderProfile,
    clientUrls: readonly string[] = [],
  ) {
    const { screens } = profile;
    const origin = originOf(profile.identityProvider.issuer);
    this.#providerOrigin = clientUrls.some((url) => originOf(url) === origin) ? undefined : origin;
    this.#ownOrigins = new Set([origin, ...clientUrls.map(originOf)]);
    this.email = new EmailPage(page, screens.email, screens.typing);
    this.password = new PasswordPage(page, screens.password, screens.typing);
    this.secondFactor = screens.secondFactor ? new SecondFactorPage(page, screens.secondFactor, screens.typing) : undefined;
    this.consent = screens.consent ? new PassThroughPage(page, 'Confirm consent', screens.consent) : undefined;
    this.interstitials = screens.interstitials.map((screen) => new PassThroughPage(page, `Pass "${screen.name}"`, screen));
    const alert = page.getByRole('alert');
    this.#namedRefusal = screens.refusal ? visibleLocator(page, screens.refusal) : undefined;
    this.alert = this.#namedRefusal ? alert.or(this.#namedRefusal) : alert;
    this.#notices = screens.notices;
    const counted = new WeakSet<object>();
    const settled = (request: object) => {
      if (counted.delete(request)) this.#inFlight--;
    };
    page.on('request', (request) => {
      if (['document', 'fetch', 'xhr'].includes(request.resourceType())) {
        counted.add(request);
        this.#inFlight++;
      }
    });
    page.on('requestfinished', settled);
    page.on('requestfailed', settled);
    // A redirect's hop gets its answer with the redirect: the next hop is a request of its own.
    page.on('response', (response) => {
      if (response.status() >= 300 && response.status() < 400) settled(response.request());
    });
  }

  /** The provider screen showing now, if any; the most specific first. */
  async recognise(): Promise<ProviderScreen | undefined> {
    // Every screen is asked about at once (the questions only read the page): one round trip's
    // wait. The answers are read most specific first, as when asked in turn.
    const [secondFactor, email, password, consent, ...interstitials] = [
      this.secondFactor?.isShown() ?? Promise.resolve(false),
      this.email.isShown(),
      this.password.isShown(),
      this.consent?.isShown() ?? Promise.resolve(false),
      ...this.interstitials.map((interstitial) => interstitial.isShown()),
    ].map(askNow);
    if (await secondFactor?.()) return { kind: 'second-factor' };
    if (await email?.()) return { kind: 'identifier', withPassword: (await password?.()) ?? false };
    if (await password?.()) return { kind: 'password' };
    if (this.consent && (await consent?.())) return { kind: 'pass-through', page: this.consent };
    for (const [index, page] of this.interstitials.entries()) if (await interstitials[index]?.()) return { kind: 'pass-through', page };
    return undefined;
  }

  /**
   * Signs `account` in, screen by screen, until `done()` says the client has what it waited for.
   * Codes are asked of `codes` only when a second-factor screen appears.
   */
  async signIn(account: JourneyAccount, codes: CodeSource, done: () => Promise<boolean>): Promise<void> {
    this.#upstream = account.method === 'federated' ? this.#upstreamFor(account) : undefined;
    // Where codes may come by message, the inbox's place is marked before anything is sent.
    const expected = this.secondFactor ? secondFactorChannel(account, this.profile.screens.secondFactor?.channels) : undefined;
    if (expected && expected !== 'totp') await codes.beginSignIn?.(account, expected);
    const visits = new Map<string, number>();
    for (;;) {
      const screen = await this.#next(done);
      if (screen === 'done') return;
      const name = screenName(screen);
      const visit = (visits.get(name) ?? 0) + 1;
      visits.set(name, visit);
      if (visit > MAX_VISITS_PER_SCREEN)
        throw new LoginStepError(
          'screen-repeated',
          name,
          `the ${name} screen came back ${visit} times at ${this.#where()}; the provider does not move on`,
        );
      await this.act(screen, account, codes);
      this.acted.add(screen.kind);
      await this.leave(screen, account, done);
    }
  }

  /** The upstream a federated account signs in through: the profile's, for its email provider (or as ACCOUNTS_FILE names it). */
  #upstreamFor(account: JourneyAccount): UpstreamScreens {
    const upstreams = this.profile.federation ?? [];
    const upstream = upstreamOf(account, upstreams);
    if (!upstream)
      throw new LoginStepError(
        'no-upstream',
        'identifier',
        `account ${account.email} signs in through ${account.upstream ? `upstream "${account.upstream}"` : 'the upstream of its email provider'}, which the target profile does not describe (federation: ${upstreams.map((known) => known.name).join(', ') || 'none'})`,
      );
    const issuer = upstream.origin ?? this.profile.identityProvider.issuer;
    return {
      name: upstream.name,
      profile: upstream,
      screens: new IdentityProviderScreens(this.page, { screens: upstream.screens, identityProvider: { issuer, sessionCookies: [] } }),
    };
  }

  /** Whether the page is the upstream's: its origin, or any site that is neither the provider's nor the client's. */
  #onUpstream(upstream: UpstreamScreens): boolean {
    const origin = originOf(this.page.url());
    if (origin === undefined) return false;
    return upstream.profile.origin ? originOf(upstream.profile.origin) === origin : !this.#ownOrigins.has(origin);
  }

  /** Does what the profile says to do on `screen` for `account`. */
  async act(screen: ProviderScreen, account: JourneyAccount, codes: CodeSource): Promise<void> {
    if (screen.via) return screen.via.screens.act(withoutVia(screen), account, codes);
    switch (screen.kind) {
      case 'identifier': {
        if (this.#upstream) {
          // A federated account: "Continue with …" on the provider's first screen, then the upstream's screens.
          const name = this.#upstream.profile.button;
          const start = buttonLocator(this.page, name).or(this.page.getByRole('link', { name })).first();
          await journeyStep(`Continue with ${this.#upstream.name}`, () => start.click());
          return;
        }
        const byLogin = this.profile.screens.email.value === 'login';
        const identifier = byLogin ? account.login : account.email;
        if (!identifier)
          throw new LoginStepError(
            'no-login',
            'identifier',
            `account ${account.email} has no login, which this provider asks for (screens.email.value: "login")`,
          );
        await this.email.submitEmail(identifier, byLogin ? 'Enter the user name' : 'Enter the email address');
        if (screen.withPassword) await this.password.submitPassword(account.password);
        return;
      }
      case 'password':
        return this.password.submitPassword(account.password);
      case 'second-factor': {
        const channels = this.profile.screens.secondFactor?.channels ?? [];
        const channel = secondFactorChannel(account, channels);
        if (!channel || !this.secondFactor) {
          throw new LoginStepError(
            'no-code-channel',
            'second-factor',
            `the provider asked account ${account.email} for a one-time code by ${channels.join(' or ')}, and the account has no way to receive one (give it a totpSecret or a phone in ACCOUNTS_FILE)`,
          );
        }
        this.#codeStep = { channel, previousCodeAt: codes.previousCodeAt?.(account, channel) };
        return this.secondFactor.submitCode(channel, () => codes.codeFor(account, channel));
      }
      case 'pass-through':
        return screen.page.pass(account);
    }
  }

  /**
   * A notice's words the step must not be refused for: a success or progress notice, or one the
   * profile names (a text as names are matched: a substring, whatever its case).
   */
  #isNotice(text: string): boolean {
    return (
      SUCCESS_NOTICE.test(text) ||
      this.#notices.some((notice) => (typeof notice === 'string' ? text.toLowerCase().includes(notice.toLowerCase()) : notice.test(text)))
    );
  }

  /**
   * Waits for the screen just acted on to give way to another. The step was refused only when the
   * same screen is still there once the page has settled (no request in flight) with the same
   * words standing for a moment, or with words the profile names as a refusal. A notice of
   * success or progress never refuses a step, on this screen or on the next.
   */
  async leave(screen: ProviderScreen, account: JourneyAccount, done?: () => Promise<boolean>): Promise<void> {
    if (screen.via) return screen.via.screens.leave(withoutVia(screen), account, done);
    const name = screenName(screen);
    const marker =
      screen.kind === 'identifier'
        ? this.email.emailField
        : screen.kind === 'password'
          ? this.password.passwordField
          : screen.kind === 'second-factor'
            ? (this.secondFactor?.codeField ?? this.password.passwordField)
            : screen.page.marker.first();
    let standing: { text: string; since: number } | undefined;
    let notice: string | undefined;
    // Gone: the screen gave way, or the client already has what it waited for (a native app's
    // redirect, caught while the page still shows the step that sent it).
    const gone = async () => !(await marker.isVisible().catch(() => false)) || ((await done?.()) ?? false);
    try {
      await expect
        .poll(
          async () => {
            if (await gone()) return true;
            if (this.#inFlight > 0) return false;
            const named = this.#namedRefusal ? await firstText(this.#namedRefusal.filter({ hasText: /\S/ })) : undefined;
            const text = named ?? (await firstText(this.page.getByRole('alert').filter({ hasText: /\S/ })));
            if (text === undefined || (named === undefined && this.#isNotice(text))) {
              notice = text;
              standing = undefined;
              return false;
            }
            if (standing?.text !== text) standing = { text, since: Date.now() };
            return named !== undefined || Date.now() - standing.since >= REFUSAL_SETTLE_MS;
          },
          { message: `the ${name} screen to give way`, intervals: [0, 25, 50, 100] },
        )
        .toBe(true);
    } catch (error) {
      if (await gone()) return;
      throw new LoginStepError(
        'screen-stuck',
        name,
        `the ${name} screen stayed at ${this.#where()} after its step, ${notice ? `showing only the notice "${notice}" (name its words in screens.refusal if they refuse)` : 'showing no refusal'}: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    if (!standing || (await gone())) return;
    throw new LoginStepError(
      'step-refused',
      name,
      `the provider refused the ${name} step at ${this.#where()}, saying "${standing.text}"${this.#spacingHint(screen, account)}`,
    );
  }

  /**
   * For a refused code: when this suite used a code for the account less than a period before,
   * a provider that accepts one code per account per period refuses the next; say so, and what
   * spaces an account's sign-ins.
   */
  #spacingHint(screen: ProviderScreen, account: JourneyAccount): string {
    const step = this.#codeStep;
    if (screen.kind !== 'second-factor' || step?.channel !== 'totp' || step.previousCodeAt === undefined) return '';
    const since = Date.now() - step.previousCodeAt;
    if (since >= 2 * TOTP_PERIOD_MS) return '';
    return ` — account ${account.email} used a code of the period that began ${Math.round(since / 1000)} s ago: a provider that accepts one code per account per period refuses the next; set ACCOUNT_MIN_SPACING_MS=${TOTP_PERIOD_MS} (or screens.secondFactor.totpLookahead: 0) to space the account's sign-ins`;
  }

  /**
   * The screen showing once two looks in a row agree, or 'done' once `done()` says so; undefined
   * when nothing the profile describes settles within `timeout` (the expect timeout by default).
   * A page caught mid-navigation or half-rendered (the old form gone, the new one not yet
   * complete) is not taken for a screen.
   */
  async settledScreen(done: () => Promise<boolean>, timeout?: number): Promise<ProviderScreen | 'done' | undefined> {
    let found: ProviderScreen | 'done' | undefined;
    let previous: string | undefined;
    try {
      await expect
        .poll(
          async () => {
            found = await this.#look(done);
            if (found === 'done') return true;
            const key = found && `${screenName(found)}:${found.kind === 'identifier' && found.withPassword}`;
            const settled = key !== undefined && key === previous;
            previous = key;
            return settled;
          },
          { message: 'a screen the target profile describes', intervals: [0, 25, 50, 100], ...(timeout === undefined ? {} : { timeout }) },
        )
        .toBe(true);
    } catch {
      return undefined;
    }
    return found;
  }

  /**
   * One look: is the client done, or which provider screen shows? On the provider's own pages its
   * screens are looked for first and the client asked only when none shows (the client's pages are
   * elsewhere); anywhere else, both at once, the client's answer first, so a signed-in page with an
   * email field is never taken for a provider screen.
   */
  async #look(done: () => Promise<boolean>): Promise<ProviderScreen | 'done' | undefined> {
    const upstream = this.#upstream;
    if (upstream && this.#onUpstream(upstream)) {
      // A native client may have its redirect while the page still shows the upstream's last screen.
      const screen = askNow(upstream.screens.recognise());
      if (await done()) return 'done';
      const found = await screen();
      return found ? { ...found, via: upstream } : undefined;
    }
    if (this.#providerOrigin !== undefined && originOf(this.page.url()) === this.#providerOrigin) {
      const screen = await this.recognise();
      if (screen) return screen;
      return (await done()) ? 'done' : undefined;
    }
    // Asked together; the screens' answer (or its failure) counts only when the client is not done.
    const screen = askNow(this.recognise());
    return (await done()) ? 'done' : screen();
  }

  /** The next thing to act on, or 'done'; a page nobody described stops the run with what it shows. */
  async #next(done: () => Promise<boolean>): Promise<ProviderScreen | 'done'> {
    const found = await this.settledScreen(done);
    if (found === undefined) throw new LoginStepError('unknown-screen', undefined, await this.#unknownScreenMessage());
    return found;
  }

  #where(): string {
    try {
      const url = new URL(this.page.url());
      return url.origin === 'null' ? url.href : `${url.origin}${url.pathname}`;
    } catch {
      return 'an unknown page';
    }
  }

  /** What a user sees on the page now: its headings, the names of its fields and buttons, its alerts. */
  async describe(): Promise<{ url: string; headings: string[]; fields: string[]; buttons: string[]; alerts: string[] }> {
    const texts = async (locator: Locator) =>
      (await locator.allTextContents().catch(() => [])).map((text) => text.replace(/\s+/g, ' ').trim()).filter(Boolean);
    const names = async (locator: Locator) =>
      (
        await locator
          .evaluateAll((elements) =>
            elements.map(
              (element) =>
                element.getAttribute('aria-label') ??
                (element instanceof HTMLInputElement && ['submit', 'button'].includes(element.type) ? element.value : null) ??
                (element.id ? document.querySelector(`label[for="${CSS.escape(element.id)}"]`)?.textContent : null) ??
                element.getAttribute('placeholder') ??
                element.getAttribute('name') ??
                element.textContent ??
                '',
            ),
          )
          .catch(() => [] as string[])
      )
        .map((text) => text.replace(/\s+/g, ' ').trim())
        .filter(Boolean);
    return {
      url: this.#where(),
      headings: await texts(this.page.getByRole('heading')),
      fields: await names(this.page.locator('input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea')),
      buttons: await names(this.page.getByRole('button')),
      alerts: await texts(this.alert),
    };
  }

  async #unknownScreenMessage(): Promise<string> {
    const seen = await this.describe();
    const list = (items: string[]) => (items.length ? items.map((item) => `"${item}"`).join(', ') : 'none');
    return [
      `no screen the target profile describes is showing at ${seen.url}`,
      `headings: ${list(seen.headings)}; fields: ${list(seen.fields)}; buttons: ${list(seen.buttons)}${seen.alerts.length ? `; alerts: ${list(seen.alerts)}` : ''}`,
      'describe this screen in the profile (screens.*, screens.interstitials), or see `npm run doctor`',
    ].join(' — ');
  }
}
