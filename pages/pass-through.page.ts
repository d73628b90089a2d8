import { expect, type Locator, type Page } from '@playwright/test';
import type { PassThroughScreen, ScreenAction } from '../targets/profile.ts';
import type { JourneyAccount } from '../accounts/account.ts';
import { buttonLocator, visibleLocator } from './locate.ts';
import { journeyStep } from '../evidence/timeline.ts';

/** How long one try of a step's action waits before the screen is looked at again. */
const ACTION_TRY_MS = 1_000;

/**
 * A screen the user passes through on the way: consent (tick what is asked, grant, continue) or an
 * interstitial ("Stay signed in?", an account picker). Recognised by its marker; its steps are done
 * in order: an optional step when its element is there, a step for some accounts only when the
 * account is one of them. When the screen gives way in the middle (a page that re-renders into
 * the next screen as a box is ticked), the rest is left and the journey looks again.
 */
export class PassThroughPage {
  readonly marker: Locator;

  constructor(
    private readonly page: Page,
    readonly title: string,
    private readonly screen: PassThroughScreen,
  ) {
    const { recognise } = screen;
    this.marker =
      'button' in recognise
        ? buttonLocator(page, recognise.button)
        : 'link' in recognise
          ? page.getByRole('link', { name: recognise.link })
          : visibleLocator(page, recognise);
  }

  async isShown(): Promise<boolean> {
    return this.marker.first().isVisible();
  }

  async pass(account: JourneyAccount): Promise<void> {
    await journeyStep(this.title, async () => {
      for (const step of this.screen.steps) {
        if (step.when && !appliesTo(step.when, account)) continue;
        if ((await this.#do(step)) === 'moved-on') return;
      }
    });
  }

  #target(step: ScreenAction): Locator {
    if ('click' in step) return buttonLocator(this.page, step.click);
    if ('link' in step) return this.page.getByRole('link', { name: step.link });
    if ('check' in step) return this.page.getByRole('checkbox', { name: step.check });
    if ('uncheck' in step) return this.page.getByRole('checkbox', { name: step.uncheck });
    const within =
      step.checkAll === true
        ? this.page
        : this.page.getByRole('group', { name: step.checkAll }).or(this.page.getByRole('list', { name: step.checkAll }));
    return within.getByRole('checkbox', { checked: false });
  }

  async #act(step: ScreenAction, target: Locator, timeout: number): Promise<void> {
    if ('click' in step || 'link' in step) await target.click({ timeout });
    else if ('check' in step) await target.check({ timeout });
    else if ('uncheck' in step) await target.uncheck({ timeout });
    // Ticking a box may re-render the list: the first unticked box is asked for each time.
    else while ((await target.count()) > 0) await target.first().check({ timeout });
  }

  /**
   * One step: done, absent (an optional step whose element is not there), or 'moved-on' when the
   * screen gave way meanwhile. Each try waits a moment; between tries the screen is looked at.
   */
  async #do(step: ScreenAction): Promise<'done' | 'absent' | 'moved-on'> {
    const target = this.#target(step);
    if (step.optional && !(await target.first().isVisible())) return 'absent';
    let outcome: 'done' | 'moved-on' | undefined;
    await expect
      .poll(
        async () => {
          try {
            await this.#act(step, target, ACTION_TRY_MS);
            outcome = 'done';
          } catch (error) {
            if (!(await this.isShown())) outcome = 'moved-on';
            else if (step.optional && !(await target.first().isVisible())) outcome = 'done';
            else if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
          }
          return outcome;
        },
        { message: `${this.title}: ${describeStep(step)}`, intervals: [0] },
      )
      .toBeDefined();
    return outcome ?? 'done';
  }
}

function appliesTo(when: NonNullable<ScreenAction['when']>, account: JourneyAccount): boolean {
  return (
    (when.mfa === undefined || when.mfa === (account.totpSecret ? 'totp' : 'none')) &&
    (when.phone === undefined || when.phone === (account.phone ? 'bound' : 'none'))
  );
}

function describeStep(step: ScreenAction): string {
  if ('click' in step) return `click "${String(step.click)}"`;
  if ('link' in step) return `follow "${String(step.link)}"`;
  if ('check' in step) return `tick "${String(step.check)}"`;
  if ('uncheck' in step) return `untick "${String(step.uncheck)}"`;
  return step.checkAll === true ? 'tick every box' : `tick every box in "${String(step.checkAll)}"`;
}
