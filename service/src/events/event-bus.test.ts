import { describe, expect, it } from 'vitest';
import { EventBus, type PryzmEvent } from './event-bus.ts';

const record = (name: string) => ({ record: { values: { name } } });

describe('EventBus', () => {
  it('hands a publication to each listener as one batch, filtered by workspace and type', () => {
    const bus = new EventBus();
    const all: (readonly PryzmEvent[])[] = [];
    const updates: (readonly PryzmEvent[])[] = [];
    bus.subscribe((events) => all.push(events));
    bus.subscribe((events) => updates.push(events), {
      workspaceId: 'w1',
      types: new Set(['record.updated']),
    });
    const published = bus.publishMany('record.created', 'w1', [record('a'), record('b')]);
    bus.publish('record.updated', 'w2', record('c'));
    bus.publish('record.updated', 'w1', record('d'));

    expect(all.map((batch) => batch.length)).toEqual([2, 1, 1]);
    expect(all[0]).toEqual(published);
    expect(new Set(published.map((event) => event.id)).size).toBe(2);
    expect(updates.map((batch) => batch.map((event) => event.data))).toEqual([[record('d')]]);
  });

  it("gives other processes' events only to listeners that take them", () => {
    const bus = new EventBus();
    const local: PryzmEvent[] = [];
    const any: PryzmEvent[] = [];
    bus.subscribe((events) => local.push(...events), { origin: 'local' });
    bus.subscribe((events) => any.push(...events));
    const remote: PryzmEvent = {
      id: 'e1',
      type: 'job.finished',
      workspaceId: 'w1',
      occurredAt: new Date(0).toISOString(),
      data: {},
    };
    bus.deliverRemote([remote]);
    expect(local).toEqual([]);
    expect(any).toEqual([remote]);
  });

  it('says which types a workspace has listeners for, asking listeners that decide for themselves', async () => {
    const bus = new EventBus();
    expect(await bus.wanted('w1', ['record.created'])).toEqual(new Set());
    bus.subscribe(() => undefined, { origin: 'local', wants: async (ws) => ws === 'w2' });
    bus.subscribe(() => undefined, { workspaceId: 'w1', types: new Set(['record.updated']) });
    expect(await bus.wanted('w1', ['record.created', 'record.updated'])).toEqual(
      new Set(['record.updated']),
    );
    expect(await bus.wanted('w2', ['record.created'])).toEqual(new Set(['record.created']));
  });

  it('tells who watches a workspace when a stream subscribes, and lists the watched ones', () => {
    const bus = new EventBus();
    const watched: string[] = [];
    bus.onWatch((workspaceId) => watched.push(workspaceId));
    const stop = bus.subscribe(() => undefined, { workspaceId: 'w1' });
    bus.subscribe(() => undefined, { workspaceId: 'w2', origin: 'local' });
    expect(watched).toEqual(['w1']);
    expect(bus.watchedWorkspaces()).toEqual(new Set(['w1']));
    stop();
    expect(bus.watchedWorkspaces()).toEqual(new Set());
  });

  it('keeps publishing to the other listeners when one throws', () => {
    const errors: unknown[] = [];
    const bus = new EventBus((error) => errors.push(error));
    const seen: PryzmEvent[] = [];
    bus.subscribe(() => {
      throw new Error('listener failed');
    });
    bus.subscribe((events) => seen.push(...events));
    bus.publish('job.failed', 'w1', {});
    expect(errors).toHaveLength(1);
    expect(seen).toHaveLength(1);
  });
});
