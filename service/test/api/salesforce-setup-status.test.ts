import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import { addMemberWithToken } from '../access/support.ts';
import { apiClient, type ApiClient } from '../support/api.ts';
import { PROVIDERS } from '../support/databases.ts';
import { passwordConnectionRequest, testConnectedApp } from '../support/localorg.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';
import { connectWithDefaults, runJob, salesforceApi } from '../support/sync.ts';
import { typedClient, type TypedClient } from '../support/typed-client.ts';

const { app, privateKeyPem } = testConnectedApp();
const serviceVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/**
 * The two endpoints the package's setup checklist calls through the Pryzm_Service Named
 * Credential (force-app/README.md), against the real service and the local org: the key names
 * the workspace, `?orgId=` the connection, and the answer follows the connection's mappings and
 * jobs as they happen.
 */
describe.each(PROVIDERS)('the package setup checklist endpoints on %s', (provider) => {
  let stack: ServiceWithTwoOrgs | undefined;
  let local: LocalOrg;
  let ws: { id: string; key: string; client: ApiClient };
  let typed: TypedClient;
  let sandboxConnection: string;

  beforeAll(async () => {
    stack = await startServiceWithTwoOrgs(app, provider, 'Setup checklist');
    ({ local, ws } = stack);
    typed = typedClient(stack.service.url, ws.key, '/api');
  });
  afterAll(() => stack?.close());

  const sandbox = () => local.orgs[1]!;
  const production = () => local.orgs[0]!;

  it('answers health with the service version for a workspace key, 401 for a wrong one', async () => {
    expect(await typed.ok('get /api/salesforce/health')).toEqual({
      status: 'ok',
      version: serviceVersion,
    });
    const wrong = await apiClient(stack!.service.url, 'pryzm_live_not-a-key').get(
      '/api/salesforce/health',
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: { code: 'invalid_token' } });
    const anonymous = await apiClient(stack!.service.url).get('/api/salesforce/setup-status');
    expect(anonymous.status).toBe(401);
  });

  it('says 404 connection_not_found while the workspace has no connection', async () => {
    const status = await ws.client.get('/api/salesforce/setup-status');
    expect(status.status).toBe(404);
    expect(status.body).toMatchObject({ error: { code: 'connection_not_found' } });
  });

  it('names the mapped objects of the only connection, with no pull yet', async () => {
    sandboxConnection = (await connectWithDefaults(ws, sandbox(), app, privateKeyPem)).connectionId;
    const status = await typed.ok('get /api/salesforce/setup-status');
    expect(status).toEqual({
      connectionId: sandboxConnection,
      orgId: sandbox().id,
      mappedObjects: ['Account', 'Contact', 'Opportunity'],
      lastPull: null,
      lastSync: null,
    });
    // The org id as UserInfo.getOrganizationId() sends it (18 characters) or in its 15-character
    // form names the same connection.
    for (const orgId of [sandbox().id, sandbox().id.slice(0, 15)]) {
      const named = await typed.ok('get /api/salesforce/setup-status', { query: { orgId } });
      expect(named.connectionId).toBe(sandboxConnection);
    }
  });

  it('reports the last pull and the last job once they ran, for any role', async () => {
    for (const name of ['Setup One', 'Setup Two', 'Setup Three']) {
      await salesforceApi(local, sandbox()).request('sobjects/Account', {
        method: 'POST',
        body: JSON.stringify({ Name: name }),
      });
    }
    const pull = await runJob(ws, sandboxConnection, { kind: 'pull', mode: 'full' });
    expect(pull.status).toBe('succeeded');
    const pulled = pull.objects.reduce((sum, object) => sum + object.processed, 0);
    expect(pulled).toBeGreaterThanOrEqual(3);
    const afterPull = await typed.ok('get /api/salesforce/setup-status');
    expect(afterPull.lastPull).toMatchObject({
      jobId: pull.id,
      kind: 'pull',
      status: 'succeeded',
      jobStatus: 'succeeded',
      recordCount: pulled,
      message: null,
    });
    expect(Date.parse(afterPull.lastPull!.finishedAt!)).not.toBeNaN();
    expect(afterPull.lastSync).toEqual(afterPull.lastPull);

    // A push after it is the last job of any kind; the pull stays the last pull.
    const push = await runJob(ws, sandboxConnection, { kind: 'push' });
    const viewer = await addMemberWithToken(ws.client, ws.id, 'viewer');
    const asViewer = typedClient(stack!.service.url, viewer.secret, '/api');
    const afterPush = await asViewer.ok('get /api/salesforce/setup-status', {
      query: { orgId: sandbox().id },
    });
    expect(afterPush.lastPull?.jobId).toBe(pull.id);
    expect(afterPush.lastSync).toMatchObject({ jobId: push.id, kind: 'push' });
  });

  it('asks for the org id once a second org is connected, and answers for each', async () => {
    const connected = await ws.client.post<{ id: string }>(
      `/api/workspaces/${ws.id}/connections`,
      passwordConnectionRequest(app, production().users[0]!, { environment: 'production' }),
    );
    expect(connected.status, JSON.stringify(connected.body)).toBe(201);
    const ambiguous = await ws.client.get('/api/salesforce/setup-status');
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.body).toMatchObject({ error: { code: 'connection_ambiguous' } });

    const ofProduction = await typed.ok('get /api/salesforce/setup-status', {
      query: { orgId: production().id },
    });
    expect(ofProduction).toMatchObject({
      connectionId: connected.body.id,
      mappedObjects: [],
      lastPull: null,
      lastSync: null,
    });
    const ofSandbox = await typed.ok('get /api/salesforce/setup-status', {
      query: { orgId: sandbox().id },
    });
    expect(ofSandbox.connectionId).toBe(sandboxConnection);
  });

  it('refuses a malformed or unknown org id, other parameters and the operator token', async () => {
    for (const query of ['orgId=001000000000001AAA', 'orgId=00D', 'org=x']) {
      const bad = await ws.client.get(`/api/salesforce/setup-status?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.body).toMatchObject({ error: { code: 'invalid_request' } });
    }
    const unknown = await ws.client.get('/api/salesforce/setup-status?orgId=00D000000000001AAA');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'connection_not_found' } });

    const operator = await apiClient(stack!.service.url, stack!.security.adminToken).get(
      '/api/salesforce/setup-status',
    );
    expect(operator.status).toBe(403);
    expect(operator.body).toMatchObject({ error: { code: 'workspace_key_required' } });
  });
});
