import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request } from 'express';
import type { EventBusHost, PlatformEventPublisher } from './core/contracts.ts';
import { oauthRouter } from './auth/oauth-router.ts';
import { soapPartner } from './auth/soap-partner.ts';
import { adminRouter } from './faults/admin-router.ts';
import { faultControls, type OrgFaultControls } from './faults/faults-api.ts';
import { createApp, type HostRole } from './http/app.ts';
import { loadSnapshot, saveSnapshot } from './persist/snapshot.ts';
import { enforceAccessRules } from './governance/enforce.ts';
import { lightningRouter } from './lightning/lightning-router.ts';
import { seedOrg, type SeedOptions, type SeedResult } from './seed/seed.ts';
import { listenDual, type Listener, type TlsMaterial } from './http/listen.ts';
import { DEFAULT_ORGS, type ConnectedAppConfig, type OrgConfig } from './org/config.ts';
import type { Org } from './org/org.ts';
import { LocalOrgRuntime } from './org/runtime.ts';
import { LocalOrgEvents } from './pubsub/local-org-events.ts';

export type { OrgConfig, UserConfig, ConnectedAppConfig } from './org/config.ts';
export type { TlsMaterial } from './http/listen.ts';
export type { OrgFaultControls } from './faults/faults-api.ts';
export { ensureCertificates, type LocalCertificates } from './certs/certificates.ts';
export type { SeedOptions, SeedResult } from './seed/seed.ts';
export { LocalOrgRuntime } from './org/runtime.ts';

export interface LocalOrgOptions {
  /** Interface to listen on; 127.0.0.1 unless told otherwise. */
  host?: string;
  /** Ports for the production login host, the sandbox login host and each org (0: any free). */
  ports?: { login?: number; sandboxLogin?: number; orgs?: number[]; pubSub?: number };
  orgs?: OrgConfig[];
  /** The package directory whose metadata defines custom fields and events; null for none. */
  forceAppDir?: string | null;
  /** Key and certificate to serve HTTPS on every port (alongside plain HTTP). */
  tls?: TlsMaterial;
  /** File the orgs' records are loaded from at start and saved to on close (and every 30 s). */
  dataFile?: string;
  /** Scheme of the URLs handed out (login, instance, identity); both work on every port. */
  scheme?: 'http' | 'https';
}

export interface OrgInfo {
  id: string;
  myDomain: string;
  sandbox: boolean;
  namespace: string | undefined;
  instanceUrl: string;
  loginUrl: string;
  users: { id: string; username: string; password: string; securityToken: string }[];
  connectedApps: ConnectedAppConfig[];
}

export interface LocalOrg {
  runtime: LocalOrgRuntime;
  loginUrl: string;
  sandboxLoginUrl: string;
  orgs: OrgInfo[];
  /** For the Pub/Sub server: sessions, schema, committed transactions, permissions, clocks. */
  eventBusHost: EventBusHost;
  /** Plugs in the event bus that `POST sobjects/<Event>__e` publishes through. */
  setPlatformEventPublisher(publisher: PlatformEventPublisher | undefined): void;
  /** An access token for a user (first user when left out), as a finished OAuth flow gives. */
  issueAccessToken(org: string, username?: string): { accessToken: string; instanceUrl: string };
  org(idOrDomain: string): Org;
  /** Fault injection for one org (also over HTTP under `/_localorg/orgs/:org/faults`). */
  faults(org: string): OrgFaultControls;
  /** Deterministic demo data for one org. */
  seed(org: string, options: SeedOptions): SeedResult;
  /** Writes the data file now (when one is configured); returns the number of records saved. */
  save(): number;
  /** Event bus, Flows and Pub/Sub API (`host:port`, TLS) of every org. */
  events: LocalOrgEvents;
  pubSubEndpoint: string;
  close(): Promise<void>;
}

/** The repository's force-app folder, found next to this package. */
export function defaultForceAppDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [
    resolve(here, '../../../force-app'),
    resolve(process.cwd(), 'force-app'),
  ]) {
    if (existsSync(join(candidate, 'main', 'default'))) return candidate;
  }
  return undefined;
}

export async function startLocalOrg(options: LocalOrgOptions = {}): Promise<LocalOrg> {
  const host = options.host ?? '127.0.0.1';
  const scheme = options.scheme ?? 'http';
  const forceAppDir =
    options.forceAppDir === null ? undefined : (options.forceAppDir ?? defaultForceAppDir());
  const runtime = new LocalOrgRuntime(options.orgs ?? DEFAULT_ORGS, forceAppDir);
  const events = new LocalOrgEvents(runtime, { forceAppDir });
  runtime.setPlatformEventPublisher(events.bus);
  for (const org of runtime.orgs) enforceAccessRules(org);
  if (options.dataFile) await loadSnapshot(runtime, options.dataFile);
  let dirty = false;
  runtime.onCommit(() => {
    dirty = true;
  });
  const saveTimer = options.dataFile
    ? setInterval(() => {
        if (dirty && options.dataFile) {
          dirty = false;
          saveSnapshot(runtime, options.dataFile);
        }
      }, 30_000)
    : undefined;
  saveTimer?.unref();
  const roles = new Map<number, HostRole>();
  const roleOf = (req: Request): HostRole =>
    roles.get(req.socket.localPort ?? 0) ?? { kind: 'login', sandbox: false };
  const app = createApp({
    runtime,
    roleOf,
    extraRoutes: (a) => {
      a.use(oauthRouter(runtime, roleOf));
      a.use(adminRouter(runtime));
      a.post('/services/Soap/u/:version', soapPartner(runtime, roleOf));
      a.post('/services/Soap/u/:version/:orgId', soapPartner(runtime, roleOf));
      a.use('/_localorg/orgs/:orgId/events', events.router);
      // The package's components on Lightning-like pages, on each org's My Domain.
      a.use(
        lightningRouter({
          sessions: runtime.sessions,
          host: runtime,
          bus: events.bus,
          orgOf: (req) => {
            const role = roleOf(req);
            return role.kind === 'instance' ? role.org : undefined;
          },
          orgById: (id) => runtime.org(id),
          activeFlows: events.flowDefinitions.map((flow) => flow.name),
          forceAppDir,
        }),
      );
    },
  });

  const listeners: Listener[] = [];
  const open = async (port: number, role: HostRole): Promise<string> => {
    const listener = await listenDual(app, host, port, options.tls);
    listeners.push(listener);
    roles.set(listener.port, role);
    const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host;
    return `${scheme}://${shownHost}:${listener.port}`;
  };
  const loginUrl = await open(options.ports?.login ?? 0, { kind: 'login', sandbox: false });
  const sandboxLoginUrl = await open(options.ports?.sandboxLogin ?? 0, {
    kind: 'login',
    sandbox: true,
  });
  for (const [i, org] of runtime.orgs.entries()) {
    org.instanceUrl = await open(options.ports?.orgs?.[i] ?? 0, { kind: 'instance', org });
    org.loginUrl = org.sandbox ? sandboxLoginUrl : loginUrl;
  }

  const pubSubEndpoint = await events.listen({
    host,
    port: options.ports?.pubSub ?? 0,
    tls: options.tls,
  });

  const orgOrThrow = (key: string): Org => {
    const org = runtime.org(key);
    if (!org) throw new Error(`No org ${key}`);
    return org;
  };

  return {
    runtime,
    loginUrl,
    sandboxLoginUrl,
    orgs: runtime.orgs.map((o) => ({
      id: o.id,
      myDomain: o.config.myDomain,
      sandbox: o.sandbox,
      namespace: o.config.namespace,
      instanceUrl: o.instanceUrl,
      loginUrl: o.loginUrl,
      users: o.users.map((u) => ({
        id: u.id,
        username: u.config.username,
        password: u.config.password,
        securityToken: u.config.securityToken,
      })),
      connectedApps: o.connectedApps,
    })),
    eventBusHost: runtime,
    setPlatformEventPublisher: (p) => runtime.setPlatformEventPublisher(p),
    issueAccessToken(orgKey, username) {
      const org = orgOrThrow(orgKey);
      const user = username ? org.userByUsername(username) : org.users[0];
      if (!user) throw new Error(`No user ${username ?? ''} in ${orgKey}`);
      const session = runtime.sessions.issueAccess(
        org,
        user.id,
        org.connectedApps[0]?.clientId ?? '',
        'api',
      );
      return { accessToken: session.accessToken, instanceUrl: org.instanceUrl };
    },
    org: orgOrThrow,
    faults: (key) => faultControls(orgOrThrow(key), runtime.sessions),
    seed: (key, seedOptions) => {
      dirty = true;
      return seedOrg(orgOrThrow(key), seedOptions);
    },
    save: () => (options.dataFile ? saveSnapshot(runtime, options.dataFile) : 0),
    events,
    pubSubEndpoint,
    async close() {
      if (saveTimer) clearInterval(saveTimer);
      if (options.dataFile) saveSnapshot(runtime, options.dataFile);
      await events.close();
      await Promise.all(listeners.map((l) => l.close()));
    },
  };
}
