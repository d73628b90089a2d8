import { expect, type Locator, type Page } from '@playwright/test';
import type { SecondFactorChannel, TargetProfile } from '../targets/profile.ts';
import { EmailPage } from './email.page.ts';
import { askNow, firstText, visibleLocator } from './locate.ts';
import { PassThroughPage } from './pass-through.page.ts';
import { PasswordPage } from './password.page.ts';
import { SecondFactorPage } from './second-factor.page.ts';

export interface JourneyAccount {
  email: string;
  /** A user name, for a provider whose identifier screen asks for one (screens.email.value: "login"). */
  login?: string | null | undefined;
  password: string;
  phone: string | null;
  totpSecret: string | null;
}

/** Where one-time codes come from: an authenticator (TOTP), a phone or a mailbox. */
export interface CodeSource {
  /** Marks the start of a sign-in that may ask for a `channel` code: one sent from now on is this sign-in's. */
  beginSignIn?(account: JourneyAccount, channel: SecondFactorChannel): Promise<void>;
  codeFor(account: JourneyAccount, channel: SecondFactorChannel): Promise<string>;
}

/**
 * The channel a provider that sends codes by `channels` uses for this account: its authenticator
 * when it has one, else its phone, else its mailbox. Undefined when the account has no way to
 * receive a code from this provider.
 */
export function secondFactorChannel(
  account: Pick<JourneyAccount, 'phone' | 'totpSecret'>,
  channels: readonly SecondFactorChannel[] = ['totp', 'sms', 'email'],
): SecondFactorChannel | undefined {
  if (account.totpSecret && channels.includes('totp')) return 'totp';
  if (account.phone && channels.includes('sms')) return 'sms';
  if (channels.includes('email')) return 'email';
  return undefined;
}

/** The identity provider's screens as its target profile describes them. */
export type ProviderProfile = Pick<TargetProfile, 'screens' | 'identityProvider'>;

/** A screen of the provider the journey can recognise and act on. */
export type ProviderScreen =
  | { kind: 'identifier'; withPassword: boolean }
  | { kind: 'password' }
  | { kind: 'second-factor' }
  | { kind: 'pass-through'; page: PassThroughPage };

/** What a sign-in stopped on: the profile's name for it and the page's own words, for the failure message. */
export class LoginStepError extends Error {
  constructor(
    /** Why the journey stopped. */
    readonly reason: 'unknown-screen' | 'step-refused' | 'screen-repeated' | 'no-code-channel',
    /** The screen it stopped on, when it knew it. */
    readonly screen: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'LoginStepError';
  }
}

/** How often one screen may come back before the journey calls it a loop. */
const MAX_VISITS_PER_SCREEN = 3;

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

const screenName = (screen: ProviderScreen) => (screen.kind === 'pass-through' ? screen.page.title : screen.kind);

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

  /** The provider's origin, where none of the client's own pages are: its screens are looked for first there. */
  readonly #providerOrigin: string | undefined;

  /** `clientUrls`: where the client's own pages are (the web app's start and callback). */
  constructor(
    private readonly page: Page,
    private readonly profile: ProviderProfile,
    clientUrls: readonly string[] = [],
  ) {
    const { screens } = profile;
    const origin = originOf(profile.identityProvider.issuer);
    this.#providerOrigin = clientUrls.some((url) => originOf(url) === origin) ? undefined : origin;
    this.email = new EmailPage(page, screens.email, screens.typing);
    this.password = new PasswordPage(page, screens.password, screens.typing);
    this.secondFactor = screens.secondFactor ? new SecondFactorPage(page, screens.secondFactor, screens.typing) : undefined;
    this.consent = screens.consent ? new PassThroughPage(page, 'Confirm consent', screens.consent) : undefined;
    this.interstitials = screens.interstitials.map((screen) => new PassThroughPage(page, `Pass "${screen.name}"`, screen));
    const alert = page.getByRole('alert');
    this.alert = screens.refusal ? alert.or(visibleLocator(page, screens.refusal)) : alert;
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
      await this.leave(screen);
    }
  }

  /** Does what the profile says to do on `screen` for `account`. */
  async act(screen: ProviderScreen, account: JourneyAccount, codes: CodeSource): Promise<void> {
    switch (screen.kind) {
      case 'identifier': {
        const byLogin = this.profile.screens.email.value === 'login';
        const identifier = byLogin ? account.login : account.email;
        if (!identifier)
          throw new LoginStepError(
            'no-code-channel',
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
        return this.secondFactor.submitCode(channel, () => codes.codeFor(account, channel));
      }
      case 'pass-through':
        return screen.page.pass();
    }
  }

  /** Waits for the screen just acted on to go; if it stays with an alert, the provider refused the step. */
  async leave(screen: ProviderScreen): Promise<void> {
    const name = screenName(screen);
    const marker =
      screen.kind === 'identifier'
        ? this.email.emailField
        : screen.kind === 'password'
          ? this.password.passwordField
          : screen.kind === 'second-factor'
            ? (this.secondFactor?.codeField ?? this.password.passwordField)
            : screen.page.marker.first();
    let refused: string | undefined;
    await expect
      .poll(
        async () => {
          if (!(await marker.isVisible().catch(() => false))) return true;
          refused = await firstText(this.alert.filter({ hasText: /\S/ }));
          return refused !== undefined;
        },
        { message: `the ${name} screen to give way`, intervals: [0, 25, 50, 100] },
      )
      .toBe(true);
    if (refused && (await marker.isVisible().catch(() => false)))
      throw new LoginStepError('step-refused', name, `the provider refused the ${name} step at ${this.#where()}, saying "${refused}"`);
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
      return `${url.origin}${url.pathname}`;
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
