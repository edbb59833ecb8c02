import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type ApiClient } from '../support/api.ts';
import { openEventStream } from '../support/event-stream.ts';
import { startProcessStack, type ProcessStack } from '../support/process-stack.ts';
import type { ServiceProcess } from '../support/service-process.ts';

type Event = { id: string; type: string; data: Record<string, { id?: string } & object> };

/**
 * Two service processes (A and B) on one PostgreSQL database: an event stream on one sees what
 * the other published (the relay: LISTEN/NOTIFY naming a RelayedEventBatch row), each event once.
 * SQLite has a single process by design, so this runs on PostgreSQL only.
 */
describe('event streams across two service processes on postgresql', () => {
  let stack: ProcessStack;
  let a: ServiceProcess;
  let b: ServiceProcess;
  let ws: Awaited<ReturnType<ProcessStack['connect']>>['ws'];
  let connectionId: string;
  const clientOf = (service: ServiceProcess): ApiClient => apiClient(service.url, ws.key);
  const streamOn = (service: ServiceProcess, types: string) =>
    openEventStream(`${service.url}/api/v1/workspaces/${ws.id}/events?types=${types}`, ws.key);

  beforeAll(async () => {
    stack = await startProcessStack('postgresql', {
      seed: { accounts: 30, contacts: 0, opportunities: 0 },
      env: { PRYZM_SYNC_POLL_MS: '20' },
    });
    [a, b] = await Promise.all([stack.startService(), stack.startService()]);
    ({ ws, connectionId } = await stack.connect(a));
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await stack?.close();
  });

  it("streams on one process the records written through the other's API, once each", async () => {
    const onB = await streamOn(b, 'record.created,record.updated');
    const onA = await streamOn(a, 'record.created,record.updated');
    const created = await clientOf(a).post<{ id: string }>(
      `/api/workspaces/${ws.id}/record-types/organization/records`,
      { values: { name: 'Written on A' } },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // Processes share no clock of events: B's own update could reach its stream before A's
    // relayed create, so the update is written once both streams have the create.
    for (const stream of [onA, onB]) {
      await stream.until(() => stream.events.some((e) => e.event === 'record.created'));
    }
    const updated = await clientOf(b).patch(`/api/workspaces/${ws.id}/records/${created.body.id}`, {
      values: { name: 'Written on B' },
    });
    expect(updated.status).toBe(200);
    for (const stream of [onA, onB]) {
      await stream.until(() => stream.events.some((e) => e.event === 'record.updated'));
    }
    await Promise.all([onA.close(), onB.close()]);
    for (const stream of [onA, onB]) {
      expect(stream.events.map((e) => e.event)).toEqual(['record.created', 'record.updated']);
      expect((stream.events[0]!.data as Event).data['record']).toMatchObject({
        id: created.body.id,
      });
    }
    // The same event, with the same id, on both processes.
    expect(onB.events.map((e) => e.id)).toEqual(onA.events.map((e) => e.id));
  });

  it("streams a pull's job end and records on both processes, whichever runs the job", async () => {
    const streams = await Promise.all(
      [a, b].map((service) => streamOn(service, 'record.created,job.finished')),
    );
    const started = await clientOf(a).post<{ id: string }>(
      `/api/workspaces/${ws.id}/connections/${connectionId}/jobs`,
      { kind: 'pull', mode: 'full' },
    );
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    for (const stream of streams) {
      await stream.until(() => stream.events.some((e) => e.event === 'job.finished'), 60_000);
      await stream.close();
      const created = stream.events.filter((e) => e.event === 'record.created');
      expect(created).toHaveLength(30);
      expect(new Set(created.map((e) => e.id)).size).toBe(30);
      expect(stream.events.at(-1)!.data).toMatchObject({
        data: { job: { id: started.body.id, status: 'succeeded' } },
      });
    }
  });
});
