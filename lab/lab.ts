/**
 * The lab's composition root: starts the whole lab on loopback — the gateway in front of the
 * identity provider's token nodes, the web app, the SMTP and SMS sinks, the entry-point proxies
 * and the admin API — wires them together, and stops them in reverse order.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { AccountStore } from './accounts.ts';
import { ADMIN_PREFIX, createAdmin } from './admin.ts';
import type { EntryPoint } from './context.ts';
import { FAULT_CATALOG, FaultSwitchboard } from './faults.ts';
import { createGateway } from './gateway.ts';
import { CLI_CLIENT_ID, CLI_REDIRECT_URI, createIdp, IOS_CLIENT_ID, IOS_REDIRECT_URI, SCOPE, WEB_CLIENT_ID } from './idp.ts';
import { Inbox } from './inbox.ts';
import { createInteractions } from './interactions.ts';
import { LabLog, type LogLine } from './log.ts';
import { startMailSink } from './mail.ts';
import { describeHolder, portHolder, stopHint } from './ports.ts';
import { createBroker, FEDERATION_CALLBACK_PATH } from './broker.ts';
import { ENTRY_POINT_SPECS, startEgressProxy, startEntryPoint } from './proxies.ts';
import { externalUpstream, startUpstream, UPSTREAM_SPECS, type UpstreamName } from './upstreams.ts';
import { startEmailVerificationUpstream } from './upstream.ts';
import type { LabSettings } from './settings.ts';
import { ReplicatedStore } from './store.ts';
import { createWebApp } from './webapp.ts';

/** How long the upstream email verification takes to answer (longer than token issuance waits). */
const EMAIL_VERIFICATION_UPSTREAM_DELAY_MS = 1_500;

export interface LabUrls {
  issuer: string;
  app: string;
  admin: string;
  smtp: string;
  mobileToken: string;
  entryPoints: Record<Exclude<EntryPoint, 'direct'>, string>;
  /** The upstream providers behind "Continue with Microsoft" / "Continue with Google": their issuers. */
  upstreams: Record<UpstreamName, string>;
  /** The broker's egress proxy, its calls to the upstreams leave through it. */
  brokerEgress: string;
  /** For a real provider standing in for an upstream (LAB_UPSTREAMS): the target profile that describes its screens. */
  upstreamScreens: Partial<Record<UpstreamName, string>>;
}

export interface Lab {
  readonly urls: LabUrls;
  readonly adminToken: string;
  readonly readyLine: Record<string, unknown>;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(port: number, role: string, holder = portHolder(port)) {
    super(
      `port ${port} (the lab's ${role}) is already in use by ${describeHolder(holder)}: ${stopHint(holder)}, or set LAB_PORT to another base port`,
    );
    this.name = 'PortInUseError';
  }
}

async function listen(server: Server, port: number, role: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, role) : error);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

const portAfter = (base: number, offset: number) => (base === 0 ? 0 : base + offset);

/** A start that failed because its port is taken becomes the PortInUseError that names the port and its holder. */
const inUse =
  (port: number, role: string) =>
  (error: unknown): never => {
    throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? new PortInUseError(port, role) : error;
  };

export async function startLab(settings: LabSettings, options: { echo?: (line: LogLine) => void } = {}): Promise<Lab> {
  const startedAt = Date.now();
  const log = new LabLog(20_000, options.echo);
  const faults = new FaultSwitchboard(settings.faults);
  const store = new ReplicatedStore();
  store.followFaults(faults, settings.replicaLagMs);

  const accounts = new AccountStore();
  const inbox = new Inbox();
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    inbox.close();
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };

  try {
    // Listening from here on, each server answers 503 until its handler is in place: a readiness
    // probe that comes early is told to ask again, never left waiting.
    const gateway = createServer(startingUp());
    const issuerPort = await listen(gateway, settings.port, 'issuer');
    closers.push(() => closeServer(gateway));
    const issuer = `http://127.0.0.1:${issuerPort}`;

    const appServer = createServer(startingUp());
    const appPort = await listen(appServer, portAfter(settings.port, 1), 'web app');
    closers.push(() => closeServer(appServer));
    // The app is on another site than the identity provider (localhost against 127.0.0.1), as in
    // production, so the redirect back to it is a cross-site navigation.
    const app = `http://localhost:${appPort}`;

    const mail = await startMailSink(inbox, log, portAfter(settings.port, 2));
    closers.push(() => mail.close());

    const upstream = await startEmailVerificationUpstream(EMAIL_VERIFICATION_UPSTREAM_DELAY_MS);
    closers.push(() => upstream.close());

    const proxies = [];
    for (const [index, spec] of ENTRY_POINT_SPECS.entries()) {
      const proxy = await startEntryPoint(spec, portAfter(settings.port, 3 + index), faults);
      closers.push(() => proxy.close());
      proxies.push(proxy);
    }

    const upstreams = [];
    for (const [index, spec] of UPSTREAM_SPECS.entries()) {
      const external = settings.upstreams[spec.name];
      if (external) {
        upstreams.push(externalUpstream(spec, external));
        continue;
      }
      const server = createServer();
      const port = await listen(server, portAfter(settings.port, 3 + ENTRY_POINT_SPECS.length + index), `${spec.label} upstream`);
      closers.push(() => closeServer(server));
      upstreams.push(
        startUpstream(spec, server, port, { accounts, log, faults, brokerRedirectUri: `${issuer}${FEDERATION_CALLBACK_PATH}` }),
      );
    }
    const egressPort = portAfter(settings.port, 3 + ENTRY_POINT_SPECS.length + UPSTREAM_SPECS.length);
    const egress = await startEgressProxy(egressPort, faults).catch(inUse(egressPort, "broker's egress proxy"));
    closers.push(() => egress.close());

    const idp = createIdp({ issuer, appOrigin: app, store, accounts, log, faults, upstream });
    const broker = createBroker({ issuer, provider: idp.primary, accounts, log, faults, upstreams, egressUrl: egress.url });
    // Each upstream's metadata and keys are fetched as the broker starts, before the lab is ready:
    // a key an upstream rotates to later is one the broker's cached key set lacks.
    // Bounded: an upstream that does not answer (a real one, down) delays the lab's start by 2 s at most.
    await Promise.race([broker.warm(), delay(2_000)]);
    closers.push(() => broker.close());
    const interactions = createInteractions({ provider: idp.primary, accounts, mail, log, broker });
    const urls: LabUrls = {
      issuer,
      app,
      admin: `${issuer}${ADMIN_PREFIX}`,
      smtp: `smtp://127.0.0.1:${mail.port}`,
      mobileToken: `${issuer}/mobile/token`,
      entryPoints: Object.fromEntries(proxies.map((proxy) => [proxy.name, proxy.url])) as LabUrls['entryPoints'],
      upstreams: Object.fromEntries(upstreams.map((running) => [running.spec.name, running.issuer])) as LabUrls['upstreams'],
      upstreamScreens: Object.fromEntries(
        upstreams.filter((running) => running.screensFrom).map((running) => [running.spec.name, running.screensFrom]),
      ),
      brokerEgress: egress.url,
    };
    const admin = createAdmin({
      token: settings.adminToken,
      accounts,
      inbox,
      faults,
      log,
      describe: () => ({
        urls,
        clients: {
          web: { clientId: WEB_CLIENT_ID, redirectUri: `${app}/callback`, scope: SCOPE },
          ios: { clientId: IOS_CLIENT_ID, redirectUri: IOS_REDIRECT_URI, scope: SCOPE },
          cli: { clientId: CLI_CLIENT_ID, redirectUri: CLI_REDIRECT_URI, scope: SCOPE },
        },
        faults: faults.armed,
        catalog: FAULT_CATALOG.map((fault) => fault.id),
        accounts: accounts.size,
        replicaLagMs: store.lagMs,
      }),
    });

    serveWith(
      gateway,
      createGateway({
        issuer,
        adminPrefix: ADMIN_PREFIX,
        admin,
        interactions,
        nodes: { primary: idp.primary.callback(), replica: idp.replica.callback() },
        faults,
        log,
      }),
    );

    const webApp = createWebApp({
      issuer,
      clientId: WEB_CLIENT_ID,
      redirectUri: `${app}/callback`,
      scope: SCOPE,
      leewaySeconds: settings.clientLeewaySeconds,
      faults,
    });
    serveWith(appServer, webApp);

    const readyLine = {
      event: 'lab.ready',
      issuer,
      app,
      admin: urls.admin,
      smtp: urls.smtp,
      mobileToken: urls.mobileToken,
      entryPoints: urls.entryPoints,
      upstreams: urls.upstreams,
      faults: faults.armed,
      adminToken: settings.adminTokenGenerated ? 'generated' : 'from LAB_ADMIN_TOKEN',
      startupMs: Date.now() - startedAt,
    };
    log.write('lab', 'lab.ready', { faults: faults.armed });
    return { urls, adminToken: settings.adminToken, readyLine, close };
  } catch (error) {
    await close();
    throw error;
  }
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;
const handlers = new WeakMap<Server, RequestHandler>();

/** A request listener that hands each request to the server's handler, or answers 503 while it has none. */
function startingUp(): RequestHandler {
  return function (this: Server, req, res) {
    const handler = handlers.get(this);
    if (handler) return handler(req, res);
    res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' }).end('the lab is starting');
  };
}

function serveWith(server: Server, handler: RequestHandler): void {
  handlers.set(server, handler);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
