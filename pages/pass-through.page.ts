import type { Locator, Page } from '@playwright/test';
import type { PassThroughScreen, ScreenAction } from '../targets/profile.ts';
import { buttonLocator, visibleLocator } from './locate.ts';
import { journeyStep } from './timeline.ts';

/**
 * A screen the user passes through on the way: consent (tick what is asked, grant, continue) or an
 * interstitial ("Stay signed in?", an account picker). Recognised by its marker; its steps are done
 * in order.
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

  async pass(): Promise<void> {
    await journeyStep(this.title, async () => {
      for (const step of this.screen.steps) await this.#do(step);
    });
  }

  async #do(step: ScreenAction): Promise<void> {
    if ('click' in step) await buttonLocator(this.page, step.click).click();
    else if ('link' in step) await this.page.getByRole('link', { name: step.link }).click();
    else if ('check' in step) await this.page.getByRole('checkbox', { name: step.check }).check();
    else await this.page.getByRole('checkbox', { name: step.uncheck }).uncheck();
  }
}
