import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnectedApp } from '../support/localorg.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';
import { connectWithDefaults, runJob, salesforceApi } from '../support/sync.ts';
import { typedClient, type TypedClient } from '../support/typed-client.ts';

const { app, privateKeyPem } = testConnectedApp();

/**
 * The answers of the connection, mapping, describe, job, conflict and push routes, read through
 * the typed client, which parses every answer with its contract's schema: an answer that holds
 * something else than its OpenAPI document says fails here. Answers do not depend on the
 * database (the views build them), so this runs on SQLite only.
 */
describe('answers match their contracts', () => {
  let stack: ServiceWithTwoOrgs | undefined;
  let client: TypedClient;
  let workspaceId: string;
  let connectionId: string;
  let accountMappingId: string;

  beforeAll(async () => {
    stack = await startServiceWithTwoOrgs(app, 'sqlite', 'Answers', { PRYZM_SYNC_POLL_MS: '20' });
    const sandbox = stack.local.orgs[1]!;
    stack.local.seed(sandbox.id, { accounts: 3, contacts: 0, opportunities: 0 });
    const connected = await connectWithDefaults(stack.ws, sandbox, app, privateKeyPem);
    connectionId = connected.connectionId;
    accountMappingId = connected.mappings.find((m) => m.salesforceObject === 'Account')!.id;
    workspaceId = stack.ws.id;
    client = typedClient(stack.service.url, stack.ws.key);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('describes a connection with its allowance and real-time health', async () => {
    const connection = await client.ok(
      'get /api/workspaces/:workspaceId/connections/:connectionId',
      {
        params: { workspaceId, connectionId },
      },
    );
    expect(connection.apiAllowance.exhausted).toBe(false);
    expect(typeof connection.realtime.state).toBe('string');
    const describe = await client.ok(
      'get /api/workspaces/:workspaceId/connections/:connectionId/describe/:objectName',
      { params: { workspaceId, connectionId, objectName: 'Account' } },
    );
    expect(describe.describe.fields.length).toBeGreaterThan(0);
  });

  it('describes mappings, their validation and the default proposal', async () => {
    const params = { workspaceId, connectionId, mappingId: accountMappingId };
    const mapping = await client.ok(
      'get /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId',
      { params },
    );
    expect(mapping.fields.length).toBeGreaterThan(0);
    const report = await client.ok(
      'post /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId/validate',
      { params },
    );
    expect(report.valid).toBe(true);
    const proposal = await client.ok(
      'get /api/workspaces/:workspaceId/connections/:connectionId/mappings/defaults',
      { params: { workspaceId, connectionId } },
    );
    expect(proposal.mappings.length).toBeGreaterThan(0);
    const recordType = await client.ok(
      'get /api/workspaces/:workspaceId/record-types/:recordTypeKey',
      { params: { workspaceId, recordTypeKey: 'organization' } },
    );
    expect(recordType.attributes.length).toBeGreaterThan(0);
  });

  it('describes job results, conflicts, links and a push', async () => {
    const job = await runJob(stack!.ws, connectionId, { kind: 'pull', mode: 'full' });
    const results = await client.ok('get /api/workspaces/:workspaceId/jobs/:jobId/records', {
      params: { workspaceId, jobId: job.id },
    });
    expect(results.data.length).toBe(3);

    // A conflict: both sides change one record under the manual strategy.
    await client.ok(
      'patch /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId',
      {
        params: { workspaceId, connectionId, mappingId: accountMappingId },
        body: { conflictStrategy: 'manual' },
      },
    );
    const api = salesforceApi(stack!.local, stack!.local.orgs[1]!);
    const [account] = await api.soql<{ Id: string; pryzm__Pryzm_ID__c: string }>(
      'SELECT Id, pryzm__Pryzm_ID__c FROM Account ORDER BY Id LIMIT 1',
    );
    const recordId = account!.pryzm__Pryzm_ID__c;
    await api.request(`sobjects/Account/${account!.Id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'Changed in Salesforce' }),
    });
    await client.ok('patch /api/workspaces/:workspaceId/records/:recordId', {
      params: { workspaceId, recordId },
      body: { values: { name: 'Changed in Pryzm' } },
    });
    const second = await runJob(stack!.ws, connectionId, { kind: 'pull', mode: 'incremental' });
    const conflicts = await client.ok('get /api/workspaces/:workspaceId/conflicts', {
      params: { workspaceId },
    });
    expect(conflicts.data[0]!.fields[0]).toMatchObject({
      attribute: 'name',
      pryzm: 'Changed in Pryzm',
      salesforce: 'Changed in Salesforce',
    });
    const conflictResults = await client.ok(
      'get /api/workspaces/:workspaceId/jobs/:jobId/records',
      { params: { workspaceId, jobId: second.id } },
    );
    expect(conflictResults.data.some((result) => result.action === 'conflict')).toBe(true);
    const links = await client.ok('get /api/workspaces/:workspaceId/records/:recordId/links', {
      params: { workspaceId, recordId },
    });
    expect(links.data[0]!.baseValues).toBeTruthy();

    const pushed = await client.ok('post /api/workspaces/:workspaceId/records/:recordId/push', {
      params: { workspaceId, recordId },
      body: { connectionId },
    });
    expect(pushed.action).toBe('updated');
    expect(pushed.jobId).toBeTruthy();
  });
});
