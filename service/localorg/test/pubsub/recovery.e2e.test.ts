/**
 * A running local org with its own TLS certificate, written to through jsforce and read through
 * Salesforce's Pub/Sub client, unmodified: change and platform event channels, a dropped stream
 * resumed from a stored replay id, Pub/Sub publishing to another subscriber, the event faults
 * driven over HTTP, and the authentication errors Salesforce sends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { Connection } from 'jsforce';
import type PubSubApiClient from 'salesforce-pubsub-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureCertificates,
  startLocalOrg,
  type LocalCertificates,
  type LocalOrg,
  type OrgInfo,
} from '../../src/index.ts';
import {
  collector,
  connectPubSub,
  control,
  sleep,
  unary,
  verifyingGrpcClient,
  type GrpcClient,
  type ReceivedEvent,
} from './support/local-org-clients.ts';
import { waitFor } from './support/pubsub-harness.ts';
import { makeTestCertificate } from './support/test-certificate.ts';

const CHANGES = '/data/AccountChangeEvent';
const RECORD_CHANGES = '/event/Pryzm_Record_Change__e';
const SYNC_RESULTS = '/event/Pryzm_Sync_Result__e';
const AUTH_MESSAGE =
  /^An authentication exception occurred\. Provide valid authentication via metadata headers\. rpcId: [0-9a-f-]{36}$/;

type Header = { changeType: string; recordIds: string[] };
const header = (e: ReceivedEvent) => e.payload.ChangeEventHeader as unknown as Header;

describe('local org Pub/Sub API: recovery, publishing, faults and authentication', () => {
  let certificateDir: string;
  let certificates: LocalCertificates;
  let local: LocalOrg;
  let org: OrgInfo;
  let admin: Connection;
  let adminToken: string;
  let integrationToken: string;
  const clients: PubSubApiClient[] = [];
  const grpcClients: GrpcClient[] = [];

  async function pubSub(token = adminToken): Promise<PubSubApiClient> {
    const client = await connectPubSub(local, org.id, token);
    clients.push(client);
    return client;
  }

  function grpcClient(ca: string, metadata: Record<string, string>): GrpcClient {
    const client = verifyingGrpcClient(local.pubSubEndpoint, ca, metadata);
    grpcClients.push(client);
    return client;
  }

  const metadataFor = (token: string, tenant = org.id) => ({
    accesstoken: token,
    instanceurl: org.instanceUrl,
    tenantid: tenant,
  });

  beforeAll(async () => {
    certificateDir = mkdtempSync(join(tmpdir(), 'pryzm-pubsub-recovery-'));
    certificates = ensureCertificates(certificateDir);
    local = await startLocalOrg({ tls: { key: certificates.key, cert: certificates.cert } });
    org = local.orgs.find((o) => o.myDomain === 'pryzm-demo')!;
    const issued = local.issueAccessToken(org.id);
    adminToken = issued.accessToken;
    admin = new Connection({ ...issued, version: '62.0' });
    const integrationUser = org.users.find((u) => u.username.startsWith('integration@'))!;
    integrationToken = local.issueAccessToken(org.id, integrationUser.username).accessToken;
  });

  afterAll(async () => {
    // The client's close() leaves its streams open: the server ends them first.
    await local.close();
    for (const client of clients) client.close();
    for (const client of grpcClients) client.close();
    rmSync(certificateDir, { recursive: true, force: true });
  });

  it("serves TLS with the local org's certificate, verified through its CA", async () => {
    const trusting = grpcClient(certificates.caPem, metadataFor(adminToken));
    const topic = await unary<Record<string, unknown>>(trusting, 'GetTopic', {
      topic_name: RECORD_CHANGES,
    });
    expect(topic).toMatchObject({ topic_name: RECORD_CHANGES, can_publish: true });

    const stranger = grpcClient(makeTestCertificate().cert, metadataFor(adminToken));
    const refused = await unary(stranger, 'GetTopic', { topic_name: RECORD_CHANGES }).catch(
      (e: grpc.ServiceError) => e,
    );
    expect((refused as grpc.ServiceError).code).toBe(14);
  });

  it('resumes from a stored replay id after a dropped stream, missing and repeating nothing', async () => {
    const first = await pubSub();
    const changes = collector();
    const recordChanges = collector();
    first.subscribeFromEarliestEvent(CHANGES, changes.callback);
    first.subscribeFromEarliestEvent(RECORD_CHANGES, recordChanges.callback);

    const a1 = (await admin.sobject('Account').create({ Name: 'Resume One' })).id!;
    const a2 = (await admin.sobject('Account').create({ Name: 'Resume Two' })).id!;
    await admin.sobject('Account').update({ Id: a1, Phone: '555-0101' });
    await waitFor(() => changes.events.length === 3 && recordChanges.events.length === 3);
    expect(changes.sorted().map((e) => [header(e).changeType, header(e).recordIds])).toEqual([
      ['CREATE', [a1]],
      ['CREATE', [a2]],
      ['UPDATE', [a1]],
    ]);
    expect(
      recordChanges.sorted().map((e) => [e.payload['Change_Type__c'], e.payload['Record_Id__c']]),
    ).toEqual([
      ['CREATE', a1],
      ['CREATE', a2],
      ['UPDATE', a1],
    ]);
    // What a subscriber stores: the replay id of the last event it processed.
    const storedChange = changes.sorted().at(-1)!.replayId;
    const storedRecordChange = recordChanges.sorted().at(-1)!.replayId;

    expect((await control(local, org.id, 'faults/drop-streams')).status).toBe(204);
    await waitFor(() => changes.errors.length > 0 && recordChanges.errors.length > 0);
    expect(changes.errors[0]!.code).toBe(14);
    expect(recordChanges.errors[0]!.code).toBe(14);

    // Written while no one listens.
    await admin.sobject('Account').update({ Id: a2, Website: 'https://two.example.com' });
    await admin.sobject('Account').destroy(a1);
    const a3 = (await admin.sobject('Account').create({ Name: 'Resume Three' })).id!;

    // The change channel resumes on the same client instance, the platform channel on a new one
    // (as after a restart of the subscriber).
    const second = await pubSub();
    const resumedChanges = collector();
    const resumedRecordChanges = collector();
    first.subscribeFromReplayId(CHANGES, resumedChanges.callback, null, storedChange);
    second.subscribeFromReplayId(
      RECORD_CHANGES,
      resumedRecordChanges.callback,
      null,
      storedRecordChange,
    );
    await waitFor(
      () => resumedChanges.events.length >= 3 && resumedRecordChanges.events.length >= 3,
    );
    await sleep(300);
    expect(resumedChanges.sorted().map((e) => [header(e).changeType, header(e).recordIds])).toEqual(
      [
        ['UPDATE', [a2]],
        ['DELETE', [a1]],
        ['CREATE', [a3]],
      ],
    );
    expect(
      resumedRecordChanges
        .sorted()
        .map((e) => [e.payload['Change_Type__c'], e.payload['Record_Id__c']]),
    ).toEqual([
      ['UPDATE', a2],
      ['DELETE', a1],
      ['CREATE', a3],
    ]);
    expect(changes.events).toHaveLength(3);

    // Nothing missed: the stream as stored equals what both subscriptions saw, each once.
    const audit = await pubSub();
    const all = collector();
    audit.subscribeFromEarliestEvent(CHANGES, all.callback);
    await waitFor(() => all.events.length >= 6);
    await sleep(200);
    const seen = [...changes.events, ...resumedChanges.events].map((e) => e.replayId);
    expect(new Set(seen).size).toBe(seen.length);
    expect(all.sorted().map((e) => e.replayId)).toEqual([...seen].sort((x, y) => x - y));
  });

  it('publishes through the Pub/Sub API an event that a second subscriber receives', async () => {
    const subscriber = await pubSub();
    const received = collector();
    subscriber.subscribeFromEarliestEvent(SYNC_RESULTS, received.callback);
    const publisher = await pubSub(integrationToken);
    const result = await publisher.publish(
      SYNC_RESULTS,
      // avro-js, which the client uses, takes union values wrapped in their branch name.
      {
        CreatedDate: Date.now(),
        CreatedById: org.users.find((u) => u.username.startsWith('integration@'))!.id,
        Correlation_Id__c: { string: 'push-42' },
        Message__c: null,
        Pryzm_Id__c: { string: 'pz-42' },
        Record_Id__c: { string: '001000000000042AAA' },
        Status__c: { string: 'Success' },
      },
      'publish-key-42',
    );
    expect(result.correlationKey).toBe('publish-key-42');
    await waitFor(() => received.events.length === 1);
    const [event] = received.events;
    expect(event!.replayId).toBe(result.replayId);
    expect(event!.id).toBe('publish-key-42');
    expect(event!.payload).toMatchObject({
      Correlation_Id__c: 'push-42',
      Pryzm_Id__c: 'pz-42',
      Status__c: 'Success',
      Message__c: null,
    });
  });

  it('refuses new subscriptions for the seconds asked, then accepts them again', async () => {
    expect(
      (await control(local, org.id, 'faults/refuse-subscriptions', { seconds: 5 })).status,
    ).toBe(204);
    const refusedAt = Date.now();
    const refused = collector();
    (await pubSub()).subscribeFromEarliestEvent(SYNC_RESULTS, refused.callback);
    await waitFor(() => refused.errors.length > 0);
    expect(refused.errors[0]).toMatchObject({ code: 14 });
    expect(refused.events).toHaveLength(0);

    await sleep(Math.max(0, refusedAt + 5_200 - Date.now()));
    const accepted = collector();
    (await pubSub()).subscribeFromEarliestEvent(SYNC_RESULTS, accepted.callback);
    await waitFor(() => accepted.events.length === 1);
    expect(accepted.errors).toEqual([]);
  });

  it('stalls delivery until resumed', async () => {
    const received = collector();
    (await pubSub()).subscribe(SYNC_RESULTS, received.callback);
    const publishResult = (id: string) =>
      admin.sobject('Pryzm_Sync_Result__e').create({
        Correlation_Id__c: id,
        Record_Id__c: '001000000000042AAA',
        Status__c: 'Success',
      });
    // Probe until an event arrives: then the subscription is in place (however slow the machine).
    for (let attempt = 0; received.events.length === 0 && attempt < 50; attempt++) {
      await publishResult('probe');
      await sleep(100);
    }
    await waitFor(() => received.events.length > 0);
    await sleep(200);
    const delivered = received.events.length;

    expect((await control(local, org.id, 'faults/stall')).status).toBe(204);
    await publishResult('during-stall');
    await sleep(300);
    expect(received.events).toHaveLength(delivered);
    expect((await control(local, org.id, 'faults/resume')).status).toBe(204);
    await waitFor(() => received.events.length === delivered + 1);
    expect(received.events.at(-1)!.payload['Correlation_Id__c']).toBe('during-stall');
  });

  it('expires events on demand and by a shortened retention; their replay ids are refused', async () => {
    const before = collector();
    (await pubSub()).subscribeFromEarliestEvent(SYNC_RESULTS, before.callback);
    await waitFor(() => before.events.length >= 3);
    const old = before.sorted()[0]!.replayId;

    const expired = await control(local, org.id, 'faults/expire', { olderThanSeconds: 0 });
    expect(expired.status).toBe(200);
    expect(((await expired.json()) as { expired: number }).expired).toBeGreaterThan(0);
    const replay = collector();
    (await pubSub()).subscribeFromReplayId(SYNC_RESULTS, replay.callback, null, old);
    await waitFor(() => replay.errors.length > 0);
    expect(replay.errors[0]!.code).toBe(3);
    expect(replay.errors[0]!.details).toMatch(
      /^The Replay ID validation failed\. Ensure that the Replay ID is valid\. rpcId: /,
    );

    // A retention of about a second: an event published now is gone a little later.
    await admin
      .sobject('Pryzm_Sync_Result__e')
      .create({ Correlation_Id__c: 'short', Record_Id__c: '001000000000042AAA', Status__c: 'x' });
    expect((await control(local, org.id, 'faults/retention', { hours: 0.0003 })).status).toBe(204);
    await sleep(2_500);
    const after = collector();
    (await pubSub()).subscribeFromEarliestEvent(SYNC_RESULTS, after.callback);
    await sleep(500);
    expect(after.events).toHaveLength(0);
    expect(after.errors).toEqual([]);
    expect((await control(local, org.id, 'faults/retention', { hours: 72 })).status).toBe(204);
    expect(local.events.bus.retentionMs(org.id)).toBe(72 * 3600_000);
  });

  it('emits gap and overflow events on demand', async () => {
    const received = collector();
    (await pubSub()).subscribeFromEarliestEvent('/data/ChangeEvents', received.callback);
    const id = (await admin.sobject('Account').create({ Name: 'Gap' })).id!;
    await waitFor(() => received.events.some((e) => header(e).recordIds.includes(id)));
    const gap = await control(local, org.id, 'faults/gap', {
      objectName: 'Account',
      recordIds: [id],
      changeType: 'GAP_CREATE',
    });
    expect(gap.status).toBe(204);
    const overflow = await control(local, org.id, 'faults/overflow', { objectName: 'Contact' });
    expect(overflow.status).toBe(204);
    await waitFor(() => received.events.some((e) => header(e).changeType === 'GAP_OVERFLOW'));
    await sleep(100);
    const gaps = received
      .sorted()
      .map((e) => e.payload.ChangeEventHeader!)
      .filter((h) => String(h['changeType']).startsWith('GAP_'));
    expect(gaps).toMatchObject([
      { entityName: 'Account', changeType: 'GAP_CREATE', recordIds: [id], changeOrigin: '' },
      { entityName: 'Contact', changeType: 'GAP_OVERFLOW', recordIds: [] },
    ]);
  });

  it('refuses bad, missing, foreign-org and expired tokens with the status and message Salesforce uses', async () => {
    const sandbox = local.orgs.find((o) => o.id !== org.id)!;
    const token = local.issueAccessToken(org.id).accessToken;
    const cases: Record<string, string>[] = [
      metadataFor('00Dxx0000000000!bogus'),
      { instanceurl: org.instanceUrl, tenantid: org.id },
      metadataFor(token, sandbox.id),
    ];
    const live = grpcClient(certificates.caPem, metadataFor(token));
    await unary(live, 'GetTopic', { topic_name: CHANGES });
    local.faults(org.id).expireTokens();
    cases.push(metadataFor(token));
    for (const metadata of cases) {
      const client = grpcClient(certificates.caPem, metadata);
      const error = (await unary(client, 'GetTopic', { topic_name: CHANGES }).catch(
        (e: grpc.ServiceError) => e,
      )) as grpc.ServiceError;
      expect(error.code).toBe(16);
      expect(error.details).toMatch(AUTH_MESSAGE);
      expect(error.metadata.get('error-code')).toEqual([
        'sfdc.platform.eventbus.grpc.service.auth.error',
      ]);
    }
    const expired = collector();
    (await pubSub(token)).subscribe(CHANGES, expired.callback);
    await waitFor(() => expired.errors.length > 0);
    expect(expired.errors[0]!.code).toBe(16);
    expect(expired.errors[0]!.details).toMatch(AUTH_MESSAGE);
  });
});
