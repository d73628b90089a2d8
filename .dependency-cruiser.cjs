/**
 * The project's boundaries, checked by `npm run lint` (dependency-cruiser). Each rule names the
 * boundary the README's Layout section states.
 */
const SUITE = '^(accounts|browsers|clients|evidence|fixtures|matrix|pages|reporters|settings|targets|tests)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles: each module can be read after the ones it imports.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'pages-see-only-the-profile',
      severity: 'error',
      comment:
        "Page objects import only Playwright, each other, the target profile (targets/profile.ts) and the vocabularies they speak: accounts (accounts/account.ts), the axes (matrix/axes.ts), a failure's verdict (evidence/verdict.ts), the journey's timeline and what an error page says (evidence/timeline.ts, evidence/error-page.ts).",
      from: { path: '^pages/' },
      to: {
        pathNot: [
          '^pages/',
          '^targets/profile\\.ts$',
          '^accounts/account\\.ts$',
          '^matrix/axes\\.ts$',
          '^evidence/(verdict|timeline|error-page)\\.ts$',
          '^node_modules/(@playwright/test|playwright|playwright-core)/',
        ],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'suite-reaches-the-lab-only-over-http',
      severity: 'error',
      comment:
        'The suite reaches the lab (the system under test) only through its HTTP admin API (targets/lab-admin.ts), never its internals; its fault catalog (lab/faults.ts, data) is its published vocabulary, read to check LAB_FAULTS before the lab starts.',
      from: { path: SUITE },
      to: { path: '^lab/', pathNot: '^lab/faults\\.ts$' },
    },
    {
      name: 'lab-stands-alone',
      severity: 'error',
      comment: 'The lab is a system under test: it imports nothing of the suite.',
      from: { path: '^lab/' },
      to: { path: `${SUITE}|^(scripts|unit|bench)/` },
    },
    {
      name: 'matrix-is-pure-data',
      severity: 'error',
      comment: 'The matrix (axes, profiles, constraints, tiers) is data and its generator: it imports only itself and covertable.',
      from: { path: '^matrix/' },
      to: { pathNot: ['^matrix/', '^node_modules/covertable/'] },
    },
    {
      name: 'fixtures-are-for-specs',
      severity: 'error',
      comment: 'Fixture modules serve specs (tests/) and the Playwright config; libraries, scripts and pages do not import them.',
      from: { pathNot: ['^tests/', '^fixtures/', '^playwright\\.config\\.ts$'] },
      to: { path: '^fixtures/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(allure-report|allure-results|test-results|reports|blob-report|\\.lab)/' },
    tsPreCompilationDeps: true,
  },
};
