import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '../fixtures/test.ts';
import { prepareCookies } from '../fixtures/conditions.ts';
import { PROFILES } from '../matrix/profiles.ts';

// Each web profile presents one consistent platform, native engine or emulated: what the page
// sees and what a server receives agree with the profile, under cookie conditions that set the
// browser's own controls as under those that do not.

let server: Server;
let seen: IncomingHttpHeaders = {};

test.beforeAll(async () => {
  server = createServer((req, res) => {
    seen = req.headers;
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><meta name="viewport" content="width=device-width,initial-scale=1"><title>probe</title><p>probe</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

for (const cookies of ['fresh', 'third-party-blocked'] as const)
  for (const profile of PROFILES.filter((candidate) => candidate.kind === 'web'))
    test(
      `the platform ${profile.name} presents is consistent, cookies ${cookies}`,
      { tag: `@${profile.name}` },
      async ({ page, clientProfile, cookieStage }) => {
        const { presentation } = clientProfile;
        await prepareCookies(cookies, cookieStage);
        await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
        const navigatorView = await page.evaluate(() => ({
          userAgent: navigator.userAgent,
          platform: navigator.platform,
          userAgentData: (navigator as { userAgentData?: { platform: string; mobile: boolean } }).userAgentData,
          width: window.innerWidth,
          ratio: window.devicePixelRatio,
          touch: navigator.maxTouchPoints > 0,
        }));

        expect(navigatorView.userAgent).toBe(presentation.userAgent);
        expect(seen['user-agent']).toBe(presentation.userAgent);
        expect(navigatorView.platform).toBe(presentation.platform);
        expect(navigatorView.width).toBe(presentation.viewport.width);
        expect(navigatorView.ratio).toBe(presentation.deviceScaleFactor);
        expect(navigatorView.touch).toBe(presentation.hasTouch);
        expect({
          userAgentData: navigatorView.userAgentData
            ? { platform: navigatorView.userAgentData.platform, mobile: navigatorView.userAgentData.mobile }
            : undefined,
          platformHint: seen['sec-ch-ua-platform'],
          mobileHint: seen['sec-ch-ua-mobile'],
        }).toEqual(
          presentation.clientHints
            ? {
                userAgentData: { platform: presentation.clientHints.platform, mobile: presentation.clientHints.mobile },
                platformHint: `"${presentation.clientHints.platform}"`,
                mobileHint: presentation.clientHints.mobile ? '?1' : '?0',
              }
            : { userAgentData: undefined, platformHint: undefined, mobileHint: undefined },
        );
      },
    );
