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
} & (
  | { /** The classification every red cell should carry. */ category: 'token_exchange_failed'; cause: TokenExchangeCause }
  | { category: Exclude<Category, 'token_exchange_failed'>; cause?: string }
);

const kind = (cell: Cell) => profileNamed(cell.profile).kind;
const browser = (cell: Cell) => kind(cell) === 'web';
const webTokenService = (cell: Cell) => kind(cell) !== 'ios-app';

export const FAULT_EXPECTATIONS: Record<FaultId, FaultExpectation> = {
  'replica-lag': { hurts: webTokenService, category: 'token_exchange_failed', cause: 'code-not-replicated' },
  'outlook-verify-timeout': {
    hurts: (cell) => cell.emailProvider === 'outlook',
    category: 'token_exchange_failed',
    cause: 'upstream-email-verification',
  },
  'no-phone-risk-reject': { hurts: (cell) => cell.phone === 'none', category: 'token_exchange_failed', cause: 'risk-policy' },
  'client-clock-strict': {
    hurts: (cell) => browser(cell) && cell.clock !== 'synced',
    category: 'token_exchange_failed',
    cause: 'clock-skew',
  },
  'idp-clock-ahead': { hurts: webTokenService, category: 'token_exchange_failed', cause: 'clock-skew' },
  // Native clients tunnel through the proxy (CONNECT), where a rule that rewrites requests cannot reach.
  'edge-west-broken': { hurts: (cell) => browser(cell) && cell.network === 'edge-west', category: 'token_exchange_failed', cause: 'edge' },
  'state-cookie-strict': { hurts: browser, category: 'token_exchange_failed', cause: 'cookie-state' },
  'stale-state-preferred': {
    hurts: (cell) => browser(cell) && cell.cookies === 'stale-login',
    category: 'token_exchange_failed',
    cause: 'cookie-state',
  },
  'plus-claims-error': { hurts: (cell) => cell.plan === 'plus', category: 'token_exchange_failed', cause: 'claims-error' },
  'code-ttl-short': {
    hurts: (cell) => browser(cell) && cell.network === 'edge-west',
    category: 'token_exchange_failed',
    cause: 'code-expired',
  },
  'signing-key-unpublished': { hurts: webTokenService, category: 'token_exchange_failed', cause: 'id-token-signature' },
  'audience-mixup': { hurts: webTokenService, category: 'token_exchange_failed', cause: 'id-token-audience' },
  'outlook-verify-hang': {
    hurts: (cell) => cell.emailProvider === 'outlook',
    category: 'token_exchange_failed',
    cause: 'no-response',
  },
  'rate-limit-tight': { hurts: () => true, anyCellMayBeHurt: true, category: 'rate_limited' },
};
