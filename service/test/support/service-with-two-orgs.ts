import type { LocalOrg } from '../../localorg/src/index.ts';
import type { Provider } from '../../src/store/migrations/migration-files.ts';
import { createWorkspace, testSecurityEnv } from './api.ts';
import { freshDatabaseUrl } from './databases.ts';
import { localOrgEnv, startTwoOrgs, type testConnectedApp } from './localorg.ts';
import { bootService } from './service.ts';

export interface ServiceWithTwoOrgs {
  local: LocalOrg;
  service: Awaited<ReturnType<typeof bootService>>;
  databaseUrl: string;
  security: ReturnType<typeof testSecurityEnv>;
  ws: Awaited<ReturnType<typeof createWorkspace>>;
  /** Stops the service, then the local orgs. */
  close: () => Promise<void>;
}

/**
 * The two local orgs, the real service on a fresh database pointed at them, and one workspace:
 * what every API suite that talks to Salesforce starts from.
 */
export async function startServiceWithTwoOrgs(
  app: ReturnType<typeof testConnectedApp>['app'],
  provider: Provider,
  workspaceName: string,
  env: Record<string, string> = {},
): Promise<ServiceWithTwoOrgs> {
  const security = testSecurityEnv();
  const local = await startTwoOrgs(app);
  try {
    const databaseUrl = await freshDatabaseUrl(provider);
    const service = await bootService(databaseUrl, {
      ...security.env,
      ...localOrgEnv(local, app),
      ...env,
    });
    try {
      const ws = await createWorkspace(service.url, security.adminToken, workspaceName);
      const close = async () => {
        await service.stop();
        await local.close();
      };
      return { local, service, databaseUrl, security, ws, close };
    } catch (error) {
      await service.stop();
      throw error;
    }
  } catch (error) {
    await local.close();
    throw error;
  }
}
