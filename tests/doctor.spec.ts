/**
 * The profile doctor (`npm run doctor`, never part of a normal run): signs one account in on the
 * target, screen by screen, and says for each screen which profile entry matched which element,
 * which matched nothing, and what the page shows (headings, fields, buttons, alerts), with a
 * screenshot whose inputs are masked — what a new user needs to write or fix a profile.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { TOTP_PERIOD_MS } from '../accounts/account.ts';
import { generateAccount, type TestAccount } from '../accounts/accounts.ts';
import { expect, test } from '../fixtures/test.ts';
import { buttonLocator, fieldLocator, visibleLocator } from '../pages/locate.ts';
import { LoginJourney } from '../pages/login-journey.ts';
import type { TargetProfile, TextMatch } from '../targets/profile.ts';

const DOCTOR_DIR = path.join('reports', 'doctor');
const MAX_SCREENS = 12;

const text = (match: TextMatch) => (typeof match === 'string' ? JSON.stringify(match) : String(match));
const describeRef = (ref: object) =>
  Object.entries(ref)
    .map(([key, value]) => `${key} ${typeof value === 'string' || value instanceof RegExp ? text(value) : JSON.stringify(value)}`)
    .join(', ');

/** Every entry of the profile that marks something on a page, with the locator it stands for. */
function profileEntries(page: Page, profile: TargetProfile): { entry: string; locator: Locator }[] {
  const { screens } = profile;
  const entries: { entry: string; locator: Locator }[] = [
    { entry: `screens.email.field (${describeRef(screens.email.field)})`, locator: fieldLocator(page, screens.email.field) },
    { entry: `screens.password.field (${describeRef(screens.password.field)})`, locator: fieldLocator(page, screens.password.field) },
    { entry: `screens.password.submit (button ${text(screens.password.submit)})`, locator: buttonLocator(page, screens.password.submit) },
  ];
  if (screens.email.submit !== undefined)
    entries.push({
      entry: `screens.email.submit (button ${text(screens.email.submit)})`,
      locator: buttonLocator(page, screens.email.submit),
    });
  if (screens.secondFactor)
    entries.push({
      entry: `screens.secondFactor.field (${describeRef(screens.secondFactor.field)})`,
      locator: fieldLocator(page, screens.secondFactor.field),
    });
  const recognised = (recognise: NonNullable<TargetProfile['screens']['consent']>['recognise']) =>
    'button' in recognise
      ? buttonLocator(page, recognise.button)
      : 'link' in recognise
        ? page.getByRole('link', { name: recognise.link })
        : visibleLocator(page, recognise);
  if (screens.consent)
    entries.push({
      entry: `screens.consent.recognise (${describeRef(screens.consent.recognise)})`,
      locator: recognised(screens.consent.recognise),
    });
  for (const [index, screen] of screens.interstitials.entries())
    entries.push({
      entry: `screens.interstitials[${index}] "${screen.name}" (${describeRef(screen.recognise)})`,
      locator: recognised(screen.recognise),
    });
  if (profile.signedIn.visible)
    entries.push({
      entry: `signedIn.visible (${describeRef(profile.signedIn.visible)})`,
      locator: visibleLocator(page, profile.signedIn.visible),
    });
  if (profile.error.visible)
    entries.push({ entry: `error.visible (${describeRef(profile.error.visible)})`, locator: visibleLocator(page, profile.error.visible) });
  return entries;
}

test(
  'doctor: one sign-in, screen by screen, against the target profile',
  { tag: '@windows-chrome' },
  async ({ page, target, codes, accountPool, redaction, settings }) => {
    test.setTimeout(180_000);
    const { profile } = target;
    let account: TestAccount;
    if (accountPool) {
      const wanted = process.env.DOCTOR_ACCOUNT?.toLowerCase();
      const chosen = wanted ? accountPool.accounts.find((candidate) => candidate.email === wanted) : accountPool.accounts[0];
      if (!chosen) throw new Error(`DOCTOR_ACCOUNT=${wanted ?? ''} is not in ACCOUNTS_FILE`);
      account = chosen;
    } else {
      if (target.kind !== 'lab')
        throw new Error(`target ${profile.name} needs ACCOUNTS_FILE: the doctor signs in with its first account (or DOCTOR_ACCOUNT)`);
      account = generateAccount({ emailProvider: 'gmail', phone: 'none', plan: 'free', mfa: 'none', method: 'password' });
      await target.admin.createAccount(account);
    }
    redaction.add(account.password, account.totpSecret);
    mkdirSync(DOCTOR_DIR, { recursive: true });
    const say = (line = '') => process.stdout.write(`${line}\n`);
    const journey = new LoginJourney(page, profile, codes);
    const provider = journey.identityProvider;
    const entries = profileEntries(page, profile);

    say(`doctor: target ${profile.name}, account ${account.email}${account.totpSecret ? ' (with an authenticator)' : ''}`);
    const spacing = settings.attempts.minSpacingMs;
    if (
      profile.screens.secondFactor?.channels.includes('totp') &&
      profile.screens.secondFactor.totpLookahead !== 0 &&
      spacing < TOTP_PERIOD_MS
    )
      say(
        `doctor: warning: accounts are spaced ${spacing} ms apart (ACCOUNT_MIN_SPACING_MS) and a second sign-in within a TOTP period uses the next period's code; a provider that accepts one code per account per period refuses it ("Authentication error" on the code screen) — set ACCOUNT_MIN_SPACING_MS=${TOTP_PERIOD_MS} or screens.secondFactor.totpLookahead: 0`,
      );
    await journey.landing.open();
    const control = journey.landing.loginControl;
    say(
      `app: opened ${profile.app.url}; startLogin ${control ? ((await control.count()) ? 'matched its control' : 'matched NOTHING') : `opens ${'url' in profile.startLogin ? profile.startLogin.url : ''}`}`,
    );
    await journey.landing.startLogin();

    for (let n = 1; n <= MAX_SCREENS; n += 1) {
      const found = await provider.settledScreen(async () => (await journey.landed()) !== undefined, 15_000);
      const landed = found === 'done';
      const screen = found === 'done' ? undefined : found;
      const seen = await provider.describe();
      const shot = path.join(DOCTOR_DIR, `screen-${n}.png`);
      await page.screenshot({ path: shot, mask: [page.locator('input')], animations: 'disabled' });
      say();
      say(`screen ${n}: ${seen.url}`);
      say(
        `  recognised as: ${landed ? 'the app, done' : screen ? (screen.kind === 'pass-through' ? screen.page.title : screen.kind) : 'NOTHING the profile describes'}`,
      );
      for (const { entry, locator } of entries) {
        const count = await locator.count();
        const visible = count ? await locator.first().isVisible() : false;
        say(
          `  ${visible ? '✓' : count ? '~' : '·'} ${entry}: ${count ? `${count} element${count > 1 ? 's' : ''}${visible ? '' : ', hidden'}` : 'nothing'}`,
        );
      }
      const list = (items: string[]) => (items.length ? items.map((item) => `"${item}"`).join(', ') : 'none');
      say(
        `  the page shows — headings: ${list(seen.headings)}; fields: ${list(seen.fields)}; buttons: ${list(seen.buttons)}${seen.alerts.length ? `; alerts: ${list(seen.alerts)}` : ''}`,
      );
      say(`  screenshot (inputs masked): ${shot}`);
      if (landed) {
        const outcome = await journey.outcome();
        say();
        say(
          outcome.kind === 'signed-in'
            ? `signed in as ${outcome.email ?? 'an account the page does not name'}, plan ${outcome.plan ?? 'not shown'}`
            : `the app's error page: ${outcome.details.errorCode ?? 'no code'}: ${outcome.details.message}`,
        );
        expect(outcome.kind, "the walk to end signed in, not on the app's error page").toBe('signed-in');
        return;
      }
      if (!screen) throw new Error(`screen ${n} at ${seen.url} matches nothing the profile describes: see the lines above and ${shot}`);
      await provider.act(screen, account, codes);
      await provider.leave(screen, account);
    }
    throw new Error(`no end after ${MAX_SCREENS} screens: the provider keeps asking`);
  },
);
