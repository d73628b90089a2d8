/**
 * What each catalogued fault should do to the matrix: the cells it hurts and the cause the
 * classifier should name. The drill holds the suite to this. The lab's fault catalog
 * (lab/faults.ts) says the same in words.
 */
import type { Category, TokenExchangeCause } from '../evidence/classify.ts';
import type { FaultId } from '../lab/faults.ts';
import type { Cell } from '../matrix/cells.ts';
import { profileNamed } from '../matrix/profiles.ts';

export type FaultExpectation = {
  /** True for a cell the fault should turn red. */
  hurts: (cell: Cell) => boolean;
  /** Some faults hurt whichever cells come after a budget runs out: every red cell must be explained, none is a false positive. */
  anyCellMayBeHurt?: boolean;
  /** The conditions triage must name (matrix/triage.ts labels), in order; absent where triage does not apply (rate limits). */
  needs?: readonly string[];
} & (
  | { /** The classification every red cell should carry. */ category: 'token_exchange_failed'; cause: TokenExchangeCause }
  | { category: Exclude<Category, 'token_exchange_failed'>; cause?: string }
);

const kind = (cell: Cell) => profileNamed(cell.profile).kind;
const browser = (cell: Cell) => kind(cell) === 'web';
const webTokenService = (cell: Cell) => kind(cell) !== 'ios-app';
const federated = (cell: Cell) => cell.method === 'federated';
/** What triage names for a fault of the web token service: a browser or the CLI, not the iOS app. */
const WEB_TOKEN_SERVICE = ['client∈{browser,desktop-cli}'];

export const FAULT_EXPECTATIONS: Record<FaultId, FaultExpectation> = {
  'replica-lag': { hurts: webTokenService, category: 'token_exchange_failed', cause: 'code-not-replicated', needs: WEB_TOKEN_SERVICE },
  'outlook-verify-timeout': {
    hurts: (cell) => cell.emailProvider === 'outlook',
    category: 'token_exchange_failed',
    cause: 'upstream-email-verification',
    needs: ['emailProvider=outlook'],
  },
  'no-phone-risk-reject': {
    hurts: (cell) => cell.phone === 'none',
    category: 'token_exchange_failed',
    cause: 'risk-policy',
    needs: ['phone=none'],
  },
  'client-clock-strict': {
    hurts: (cell) => browser(cell) && cell.clock !== 'synced',
    category: 'token_exchange_failed',
    cause: 'clock-skew',
    needs: ['client=browser', 'clock≠synced'],
  },
  'idp-clock-ahead': { hurts: webTokenService, category: 'token_exchange_failed', cause: 'clock-skew', needs: WEB_TOKEN_SERVICE },
  // Native clients tunnel through the proxy (CONNECT), where a rule that rewrites requests cannot reach.
  'edge-west-broken': {
    hurts: (cell) => browser(cell) && cell.network === 'edge-west',
    category: 'token_exchange_failed',
    cause: 'edge',
    needs: ['client=browser', 'network=edge-west'],
  },
  'state-cookie-strict': { hurts: browser, category: 'token_exchange_failed', cause: 'cookie-state', needs: ['client=browser'] },
  'stale-state-preferred': {
    hurts: (cell) => browser(cell) && cell.cookies === 'stale-login',
    category: 'token_exchange_failed',
    cause: 'cookie-state',
    needs: ['client=browser', 'cookies=stale-login'],
  },
  'plus-claims-error': {
    hurts: (cell) => cell.plan === 'plus',
    category: 'token_exchange_failed',
    cause: 'claims-error',
    needs: ['plan=plus'],
  },
  'code-ttl-short': {
    hurts: (cell) => browser(cell) && cell.network === 'edge-west',
    category: 'token_exchange_failed',
    cause: 'code-expired',
    needs: ['client=browser', 'network=edge-west'],
  },
  'signing-key-unpublished': {
    hurts: webTokenService,
    category: 'token_exchange_failed',
    cause: 'id-token-signature',
    needs: WEB_TOKEN_SERVICE,
  },
  'audience-mixup': { hurts: webTokenService, category: 'token_exchange_failed', cause: 'id-token-audience', needs: WEB_TOKEN_SERVICE },
  'outlook-verify-hang': {
    hurts: (cell) => cell.emailProvider === 'outlook',
    category: 'token_exchange_failed',
    cause: 'no-response',
    needs: ['emailProvider=outlook'],
  },
  'rate-limit-tight': { hurts: () => true, anyCellMayBeHurt: true, category: 'rate_limited' },
  'upstream-code-redeemed': {
    hurts: (cell) => federated(cell) && cell.emailProvider === 'outlook',
    category: 'token_exchange_failed',
    cause: 'upstream-code-refused',
    needs: ['emailProvider=outlook', 'method=federated'],
  },
  'upstream-key-rotated': {
    hurts: (cell) => federated(cell) && cell.emailProvider === 'gmail',
    category: 'token_exchange_failed',
    cause: 'upstream-id-token',
    needs: ['emailProvider=gmail', 'method=federated'],
  },
  'broker-clock-behind': { hurts: federated, category: 'token_exchange_failed', cause: 'upstream-id-token', needs: ['method=federated'] },
  'upstream-form-post': { hurts: federated, category: 'token_exchange_failed', cause: 'federated-state-lost', needs: ['method=federated'] },
  'upstream-email-unverified': {
    hurts: (cell) => federated(cell) && cell.emailProvider === 'outlook',
    category: 'token_exchange_failed',
    cause: 'account-linking',
    needs: ['emailProvider=outlook', 'method=federated'],
  },
  'broker-egress-broken': {
    hurts: federated,
    category: 'token_exchange_failed',
    cause: 'upstream-unreachable',
    needs: ['method=federated'],
  },
};
