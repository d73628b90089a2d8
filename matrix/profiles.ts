/**
 * Client profiles: the browsers, platforms and apps the matrix signs in from. Pure data. Each web
 * profile names the engine it really is and the platform it presents; where that engine is not
 * installed, it runs on Chromium presenting the same platform (see browsers/engines.ts).
 */
export const ENGINE_NAMES = ['chromium', 'firefox', 'webkit', 'msedge'] as const;
export type Engine = (typeof ENGINE_NAMES)[number];
export type ProfileKind = 'web' | 'ios-app' | 'desktop-cli';

export interface PlatformPresentation {
  userAgent: string;
  /** navigator.platform */
  platform: string;
  /** navigator.userAgentData and the Sec-CH-UA-* hints; absent for engines that send none (Firefox, Safari). */
  clientHints?: {
    brands: { brand: string; version: string }[];
    platform: 'Windows' | 'macOS' | 'Android' | 'Linux';
    platformVersion: string;
    mobile: boolean;
    model: string;
    architecture: string;
  };
  viewport: { width: number; height: number };
  deviceScaleFactor: number;
  isMobile: boolean;
  hasTouch: boolean;
}

export interface ClientProfile {
  name: string;
  kind: ProfileKind;
  /** The engine this client really runs on. */
  engine: Engine;
  description: string;
  presentation: PlatformPresentation;
}

const CHROME_VERSION = '156.0.0.0';
const chromeBrands = (extra?: { brand: string; version: string }) => [
  { brand: 'Chromium', version: '156' },
  ...(extra ? [extra] : [{ brand: 'Google Chrome', version: '156' }]),
  { brand: 'Not.A/Brand', version: '99' },
];

const desktop = { viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false };
const iphone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
// Chrome on Windows 11: the Windows web profile, and the browser the desktop CLI opens.
const WINDOWS_CHROME: PlatformPresentation = {
  ...desktop,
  userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME_VERSION} Safari/537.36`,
  platform: 'Win32',
  clientHints: { brands: chromeBrands(), platform: 'Windows', platformVersion: '15.0.0', mobile: false, model: '', architecture: 'x86' },
};
const IOS_SAFARI_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1';

export const PROFILES: readonly ClientProfile[] = [
  {
    name: 'windows-chrome',
    kind: 'web',
    engine: 'chromium',
    description: 'Chrome on Windows 11',
    presentation: WINDOWS_CHROME,
  },
  {
    name: 'windows-edge',
    kind: 'web',
    engine: 'msedge',
    description: 'Edge on Windows 11',
    presentation: {
      ...desktop,
      userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME_VERSION} Safari/537.36 Edg/156.0.0.0`,
      platform: 'Win32',
      clientHints: {
        brands: chromeBrands({ brand: 'Microsoft Edge', version: '156' }),
        platform: 'Windows',
        platformVersion: '15.0.0',
        mobile: false,
        model: '',
        architecture: 'x86',
      },
    },
  },
  {
    name: 'windows-firefox',
    kind: 'web',
    engine: 'firefox',
    description: 'Firefox on Windows 11',
    presentation: {
      ...desktop,
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0',
      platform: 'Win32',
    },
  },
  {
    name: 'macos-safari',
    kind: 'web',
    engine: 'webkit',
    description: 'Safari on macOS',
    presentation: {
      ...desktop,
      viewport: { width: 1440, height: 900 },
      deviceScaleFactor: 2,
      userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15',
      platform: 'MacIntel',
    },
  },
  {
    name: 'android-chrome',
    kind: 'web',
    engine: 'chromium',
    description: 'Chrome on an Android phone',
    presentation: {
      viewport: { width: 412, height: 915 },
      deviceScaleFactor: 2.625,
      isMobile: true,
      hasTouch: true,
      userAgent: `Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME_VERSION} Mobile Safari/537.36`,
      platform: 'Linux armv81',
      clientHints: {
        brands: chromeBrands(),
        platform: 'Android',
        platformVersion: '15.0.0',
        mobile: true,
        model: 'Pixel 8',
        architecture: '',
      },
    },
  },
  {
    name: 'ios-safari',
    kind: 'web',
    engine: 'webkit',
    description: 'Safari on an iPhone (mobile web)',
    presentation: { ...iphone, userAgent: IOS_SAFARI_UA, platform: 'iPhone' },
  },
  {
    name: 'ios-app',
    kind: 'ios-app',
    engine: 'webkit',
    description:
      'the iOS app: login pages in an in-app browser, custom-scheme redirect, code exchanged by the app through the mobile gateway',
    presentation: { ...iphone, userAgent: IOS_SAFARI_UA, platform: 'iPhone' },
  },
  {
    name: 'desktop-cli',
    kind: 'desktop-cli',
    engine: 'chromium',
    description: 'a desktop CLI: RFC 8252 loopback redirect to a local port, code exchanged from the CLI process',
    presentation: WINDOWS_CHROME,
  },
];

export function profileNamed(name: string): ClientProfile {
  const profile = PROFILES.find((candidate) => candidate.name === name);
  if (!profile) throw new Error(`unknown client profile ${JSON.stringify(name)}; known: ${PROFILES.map((known) => known.name).join(', ')}`);
  return profile;
}
