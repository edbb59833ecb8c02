import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api.ts';
import { testConnectedApp } from '../support/localorg.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';
// @ts-expect-error: a plain ES module of the repository's scripts, without type declarations
import * as demoModule from '../../../scripts/lib/demo-workspace.mjs';

interface DemoWorkspace {
  workspace: { id: string; name: string };
  connection: { id: string; status: string; orgName: string; username: string };
  mappings: string[];
  pull: { id: string; status: string };
  done: string[];
}
const { ensureDemoWorkspace, describeDemoWorkspace } = demoModule as {
  ensureDemoWorkspace: (options: {
    serviceUrl: string;
    adminToken: string;
    login: Record<string, string>;
  }) => Promise<DemoWorkspace>;
  describeDemoWorkspace: (demo: DemoWorkspace) => string;
};

const { app } = testConnectedApp();

// What `npm start` does after the service is up beside the local org (scripts/start.mjs):
// the same function, against the real service and a real local org over loopback.
describe('the demo workspace a first start sets up', () => {
  let stack: ServiceWithTwoOrgs | undefined;
  let login: Record<string, string>;

  beforeAll(async () => {
    // Another workspace already exists: the demo one is found by its name, not by being first.
    stack = await startServiceWithTwoOrgs(app, 'sqlite', 'Someone else’s');
    const production = stack.local.orgs[0]!;
    stack.local.seed(production.id, { accounts: 12, contacts: 30, opportunities: 8 });
    const user = production.users.find((u) => u.username.startsWith('integration@'))!;
    login = {
      clientId: app.clientId,
      clientSecret: app.clientSecret!,
      username: user.username,
      password: user.password,
      securityToken: user.securityToken,
    };
  });
  afterAll(() => stack?.close());

  it('connects a Demo workspace, saves the default mappings and pulls once; a second start reuses it all', async () => {
    const { service, security } = stack!;
    const options = { serviceUrl: service.url, adminToken: security.adminToken, login };
    const first = await ensureDemoWorkspace(options);
    expect(first.done).toEqual([
      'workspace created',
      'connected',
      'default mappings saved',
      'first pull: succeeded',
    ]);
    expect(first.connection.status).toBe('active');
    expect(first.mappings.sort()).toEqual(['Account', 'Contact', 'Opportunity']);
    expect(first.pull.status).toBe('succeeded');
    expect(describeDemoWorkspace(first)).toContain('first pull: succeeded');

    const admin = apiClient(service.url, security.adminToken);
    const ws = `/api/workspaces/${first.workspace.id}`;
    const organizations = await admin.get<{ data: unknown[] }>(
      `${ws}/record-types/organization/records?limit=100`,
    );
    expect(organizations.body.data).toHaveLength(12);

    const second = await ensureDemoWorkspace(options);
    expect(second.done).toEqual([]);
    expect(second.workspace.id).toBe(first.workspace.id);
    expect(second.connection.id).toBe(first.connection.id);
    expect(second.pull.id).toBe(first.pull.id);
    expect(describeDemoWorkspace(second)).toContain('already set up, reused');

    const workspaces = await admin.get<{ data: { name: string }[] }>('/api/workspaces');
    expect(workspaces.body.data.filter((w) => w.name === 'Demo')).toHaveLength(1);
    const connections = await admin.get<{ data: unknown[] }>(`${ws}/connections`);
    expect(connections.body.data).toHaveLength(1);
    const mappings = await admin.get<{ data: unknown[] }>(
      `${ws}/connections/${first.connection.id}/mappings`,
    );
    expect(mappings.body.data).toHaveLength(3);
    const jobs = await admin.get<{ data: unknown[] }>(`${ws}/jobs?kind=pull`);
    expect(jobs.body.data).toHaveLength(1);
  });
});
