/**
 * The system under test, as the suite uses it: a target profile (the lab's, built from the running
 * lab, or one read from JSON), the identity provider's endpoints from its discovery document, the
 * native clients it registers, its network paths, and the inboxes its codes arrive in. In lab
 * mode it also holds the lab's admin API (accounts, inboxes, faults, logs); the admin token comes
 * from the environment the Playwright config prepared (LAB_ADMIN_TOKEN), so the lab and every
 * worker agree on it.
 */
import { AuthmatrixError } from '../evidence/verdict.ts';
import { labProfile } from './lab.ts';
import type { ClientRegistration, TargetProfile, TargetSetting } from './profile.ts';
import type { MessageSources } from '../accounts/codes.ts';
import { HttpInbox, ImapInbox, type ImapSettings } from '../accounts/inboxes.ts';
import { LabAdminClient, type LabDescription } from './lab-admin.ts';

/** What reaching a target needs of the run's settings (the settings hold these and more). */
export interface ConnectSettings {
  target: TargetSetting;
  labPort: number;
  networkPaths: readonly { name: string; url: string }[];
  imap: ImapSettings | undefined;
  httpInbox: { urlTemplate: string; token: string | undefined } | undefined;
}

export interface NativeClientTarget {
  client: ClientRegistration;
  tokenEndpoint: string;
}

interface TargetBase {
  profile: TargetProfile;
  /** The provider's issuer and published keys, from its discovery document: what an id_token is verified against. */
  issuer: string;
  jwksUri: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** The native clients the target registers; a profile whose client is missing cannot run there. */
  native: { ios?: NativeClientTarget; cli?: NativeClientTarget };
  /** Proxy URL of each named network path ("direct" has none). */
  networkPaths: Record<string, string | undefined>;
  /** Where email and SMS codes arrive. */
  messages: MessageSources;
  close(): Promise<void>;
}

export interface LabTarget extends TargetBase {
  kind: 'lab';
  admin: LabAdminClient;
  lab: LabDescription;
}

export interface ProfileTarget extends TargetBase {
  kind: 'profile';
}

export type Target = LabTarget | ProfileTarget;

export class TargetUnreachableError extends AuthmatrixError {
  constructor(what: string, url: string, reason: string, hint: string) {
    super({ category: 'target-unreachable', summary: `${what} at ${url} cannot be reached (${reason}); ${hint}` });
  }
}

export function labAdminUrl(settings: Pick<ConnectSettings, 'labPort'>): string {
  return `http://127.0.0.1:${settings.labPort}/__lab`;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

/** The identity provider's discovery document, within 10 s or with one clear error. */
export async function discover(issuer: string, hint: string): Promise<Discovery> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new TargetUnreachableError('the identity provider', url, (error as Error).message, hint);
  }
  const body = (await response.json().catch(() => undefined)) as Partial<Discovery> | undefined;
  if (!response.ok || !body?.issuer || !body.authorization_endpoint || !body.token_endpoint || !body.jwks_uri)
    throw new TargetUnreachableError(
      'the discovery document',
      url,
      `status ${response.status}, without issuer, authorization_endpoint, token_endpoint and jwks_uri`,
      hint,
    );
  return {
    issuer: body.issuer,
    authorization_endpoint: body.authorization_endpoint,
    token_endpoint: body.token_endpoint,
    jwks_uri: body.jwks_uri,
  };
}

function configuredInboxes(settings: ConnectSettings): { messages: MessageSources; close: () => Promise<void> } {
  const imap = settings.imap ? new ImapInbox(settings.imap) : undefined;
  const http = settings.httpInbox ? new HttpInbox(settings.httpInbox.urlTemplate, settings.httpInbox.token) : undefined;
  return { messages: { email: imap ?? http, sms: http }, close: async () => imap?.close() };
}

/** What every target is made of, lab or not: its profile, discovered endpoints and native clients. */
function fromProfile(profile: TargetProfile, discovery: Discovery): Omit<TargetBase, 'networkPaths' | 'messages' | 'close'> {
  const native = (registration: NonNullable<TargetProfile['nativeClients']>['ios']): NativeClientTarget | undefined =>
    registration && {
      client: { clientId: registration.clientId, redirectUri: registration.redirectUri, scope: registration.scope },
      tokenEndpoint: registration.tokenEndpoint ?? discovery.token_endpoint,
    };
  const ios = native(profile.nativeClients?.ios);
  const cli = native(profile.nativeClients?.cli);
  return {
    profile,
    issuer: discovery.issuer,
    jwksUri: discovery.jwks_uri,
    authorizationEndpoint: discovery.authorization_endpoint,
    tokenEndpoint: discovery.token_endpoint,
    native: { ...(ios ? { ios } : {}), ...(cli ? { cli } : {}) },
  };
}

export async function connectTarget(settings: ConnectSettings): Promise<Target> {
  const networkPaths = (builtIn: Record<string, string>) => ({
    direct: undefined,
    ...builtIn,
    ...Object.fromEntries(settings.networkPaths.map((path) => [path.name, path.url])),
  });

  if (settings.target.kind === 'profile') {
    const { profile, name } = settings.target;
    const discovery = await discover(profile.identityProvider.issuer, `is ${name} running, and is identityProvider.issuer right?`);
    const inboxes = configuredInboxes(settings);
    return {
      kind: 'profile',
      ...fromProfile(profile, discovery),
      networkPaths: networkPaths({}),
      messages: inboxes.messages,
      close: inboxes.close,
    };
  }

  const token = process.env.LAB_ADMIN_TOKEN;
  if (!token)
    throw new Error('LAB_ADMIN_TOKEN is not set for the workers; run the suite through `npx playwright test`, whose config prepares it');
  const admin = new LabAdminClient(labAdminUrl(settings), token);
  const lab = await admin.describe();
  const discovery = await discover(lab.urls.issuer, 'start the lab with `npm run lab`, or let `npx playwright test` start it');
  return {
    kind: 'lab',
    ...fromProfile(labProfile(lab, discovery.token_endpoint), discovery),
    networkPaths: networkPaths(lab.urls.entryPoints),
    messages: { email: admin, sms: admin },
    close: () => Promise.resolve(),
    admin,
    lab,
  };
}
