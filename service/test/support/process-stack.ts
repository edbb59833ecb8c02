import type { ChildProcess } from 'node:child_process';
import {
  startLocalOrg,
  type LocalOrg,
  type SeedOptions,
  type UserConfig,
} from '../../localorg/src/index.ts';
import type { Provider } from '../../src/store/migrations/migration-files.ts';
import { createWorkspace, testSecurityEnv } from './api.ts';
import { freshDatabaseUrl } from './databases.ts';
import { localOrgEnv, testConnectedApp } from './localorg.ts';
import { salesforceAdmin, type SalesforceAdmin } from './pull-state.ts';
import { startServiceProcess, type ServiceProcess } from './service-process.ts';

/**
 * A local sandbox org (the `pryzm` package installed) with seeded data, a fresh database, and
 * what it takes to start service processes on it: the setting every multi-process and crash
 * test starts from.
 */
export interface ProcessStack {
  local: LocalOrg;
  org: LocalOrg['orgs'][number];
  salesforce: SalesforceAdmin;
  databaseUrl: string;
  adminToken: string;
  /** Starts one more service process on the same database and org. */
  startService: (onSpawn?: (child: ChildProcess) => void) => Promise<ServiceProcess>;
  /** Creates a workspace, connects the org (JWT bearer) and saves the default mappings. */
  connect: (service: ServiceProcess) => Promise<{
    ws: Awaited<ReturnType<typeof createWorkspace>>;
    connectionId: string;
  }>;
  close: () => Promise<void>;
}

export interface ProcessStackOptions {
  seed: SeedOptions;
  bulkJobMilliseconds?: number;
  /** The org's users, first the one whose writes the tests make (the default org's if left out). */
  users?: UserConfig[];
  /**
   * More service environment, or a function of the started org for what depends on it (the
   * Pub/Sub API's endpoint and CA: `pubSubEnv` in `test/realtime/support.ts`).
   */
  env?: Record<string, string> | ((local: LocalOrg) => Record<string, string>);
  /** The username the connection signs in as (the org's first user if left out). */
  connectAs?: string;
}

export async function startProcessStack(
  provider: Provider,
  options: ProcessStackOptions,
): Promise<ProcessStack> {
  const { app, privateKeyPem } = testConnectedApp();
  const local = await startLocalOrg({
    orgs: [
      {
        myDomain: 'acme--uat',
        name: 'Acme UAT',
        sandbox: true,
        namespace: 'pryzm',
        connectedApps: [app],
        ...(options.bulkJobMilliseconds
          ? { bulkJobMilliseconds: options.bulkJobMilliseconds }
          : {}),
        ...(options.users ? { users: options.users } : {}),
      },
    ],
  });
  const org = local.orgs[0]!;
  local.seed(org.id, options.seed);
  const security = testSecurityEnv();
  const databaseUrl = await freshDatabaseUrl(provider);
  const env = {
    DATABASE_URL: databaseUrl,
    ...security.env,
    ...localOrgEnv(local, app),
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...(typeof options.env === 'function' ? options.env(local) : options.env),
  };
  const connectAs = options.connectAs ?? org.users[0]!.username;
  const services: ServiceProcess[] = [];
  return {
    local,
    org,
    salesforce: salesforceAdmin(local, org.id),
    databaseUrl,
    adminToken: security.adminToken,
    async startService(onSpawn) {
      const service = await startServiceProcess(env, onSpawn);
      services.push(service);
      return service;
    },
    async connect(service) {
      const ws = await createWorkspace(service.url, security.adminToken, 'Crash');
      const connected = await ws.client.post<{ id: string }>(
        `/api/workspaces/${ws.id}/connections`,
        {
          authFlow: 'jwt_bearer',
          environment: 'sandbox',
          clientId: app.clientId,
          username: connectAs,
          privateKey: privateKeyPem,
        },
      );
      if (connected.status !== 201) throw new Error(JSON.stringify(connected.body));
      const defaults = await ws.client.post(
        `/api/workspaces/${ws.id}/connections/${connected.body.id}/mappings/defaults`,
        {},
      );
      if (defaults.status !== 201) throw new Error(JSON.stringify(defaults.body));
      return { ws, connectionId: connected.body.id };
    },
    async close() {
      await Promise.all(services.map((service) => service.kill()));
      await local.close();
    },
  };
}
