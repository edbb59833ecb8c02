/**
 * Real-time sync of every connection whose change source is on: this process takes the lease
 * of each such connection it can (a row per connection, taken with one conditional UPDATE and
 * renewed every few seconds), runs its subscriber while it holds it, and lets go on stop. When a
 * process dies its leases run out and another process takes them over, resuming from the
 * stored replay ids. Also sets a connection's change source and answers its real-time health.
 */
import type { ConnectionRow } from '../../store/repositories/connections.ts';
import { problem, type Outcome } from '../../outcome/problem.ts';
import { ok } from '../../outcome/result.ts';
import type { SyncJobs } from '../jobs/sync-jobs.ts';
import { writeChangeSourceSetting, type ChangeSource } from './change-source-setting.ts';
import { ConnectionSubscriber } from './connection-subscriber.ts';
import type { RealtimeDeps } from './realtime-deps.ts';

export interface RealtimeHealth {
  changeSource: string;
  /** What the org was told (Pryzm_Settings__c) could not be written, when it could not. */
  settingProblem: string | null;
  /** starting | connecting | live | reconnecting | reconciling | stopped | failed | paused */
  state: string;
  message: string | null;
  /** Whether some process holds the subscription now (its lease has not run out). */
  held: boolean;
  lastEventAt: string | null;
  lastAppliedAt: string | null;
  lagMs: number | null;
  eventsApplied: number;
  lastSweepAt: string | null;
}

export class RealtimeSync {
  private readonly held = new Map<string, ConnectionSubscriber>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopping = false;
  readonly deps: RealtimeDeps;

  constructor(
    deps: Omit<RealtimeDeps, 'reconcile'>,
    private readonly syncJobs: SyncJobs,
    private readonly enabled: boolean,
  ) {
    this.deps = { ...deps, reconcile: (connection, reason) => this.reconcile(connection, reason) };
  }

  start(): void {
    if (!this.enabled || this.timer) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.deps.settings.tickMs);
    this.timer.unref();
  }

  /** Looks at the connections now (after a change source changed) rather than at the next tick. */
  tick(): Promise<void> {
    if (!this.enabled || this.stopping) return Promise.resolve();
    this.ticking ??= this.look().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.ticking?.catch(() => {});
    await Promise.all([...this.held.keys()].map((id) => this.drop(id, 'stopped')));
  }

  /** The subscriber this process runs for a connection, if it holds it (tests drop streams). */
  subscriber(connectionId: string): ConnectionSubscriber | undefined {
    return this.held.get(connectionId);
  }

  private async look(): Promise<void> {
    const { repositories, workerId, settings, logger } = this.deps;
    try {
      const wanted = await repositories.realtime.subscribedConnections();
      const wantedIds = new Set(wanted.map((c) => c.id));
      for (const id of [...this.held.keys()]) {
        if (!wantedIds.has(id)) await this.drop(id, 'paused');
      }
      for (const entry of wanted) {
        if (this.stopping) return;
        const mine = await repositories.realtime.acquire(
          entry.id,
          workerId,
          settings.leaseTtlMs,
          (holder) => this.deadOnThisHost(holder),
        );
        const running = this.held.get(entry.id);
        if (!mine) {
          if (running) {
            logger.warn({ connectionId: entry.id }, 'real-time subscription taken over elsewhere');
            await this.drop(entry.id, null);
          }
          continue;
        }
        if (running && running.changeSource !== entry.changeSource) {
          await this.drop(entry.id, null);
        } else if (running) {
          await running.tick().catch(() => {});
          await this.maybeSweep(entry.id);
          continue;
        }
        await this.open(entry.id);
      }
    } catch (error) {
      logger.error({ err: error }, 'real-time sync could not look at its connections');
    }
  }

  /**
   * A holder named `host:pid` on this host whose process no longer exists (killed, crashed): a
   * restarted service takes its subscriptions back at once instead of waiting out the lease.
   */
  private deadOnThisHost(holder: string): boolean {
    const [host, pid] = [holder.slice(0, holder.lastIndexOf(':')), Number(holder.split(':').pop())];
    const [myHost] = [this.deps.workerId.slice(0, this.deps.workerId.lastIndexOf(':'))];
    if (host !== myHost || !Number.isInteger(pid) || pid <= 0 || holder === this.deps.workerId) {
      return false;
    }
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }

  private async open(connectionId: string): Promise<void> {
    const { repositories, workerId, logger } = this.deps;
    const connection = await repositories.connections.findById(connectionId);
    if (!connection) return;
    await repositories.realtime.closeOrphanWindows(connectionId, workerId);
    await repositories.realtime.setState(connectionId, workerId, 'starting');
    const subscriber = new ConnectionSubscriber(this.deps, connection);
    this.held.set(connectionId, subscriber);
    try {
      await subscriber.start();
      logger.info(
        { connectionId, changeSource: connection.changeSource },
        'real-time subscription started',
      );
    } catch (error) {
      // Tried again at the next tick; the health says why meanwhile.
      this.held.delete(connectionId);
      await subscriber.stop().catch(() => {});
      await repositories.realtime.setState(
        connectionId,
        workerId,
        'failed',
        (error as Error).message,
      );
      logger.warn({ connectionId, err: error }, 'real-time subscription could not start');
    }
  }

  /** Stops the subscriber; `state` releases the lease with that state (null: keep it). */
  private async drop(connectionId: string, state: string | null): Promise<void> {
    const subscriber = this.held.get(connectionId);
    this.held.delete(connectionId);
    await subscriber?.stop().catch(() => {});
    if (state)
      await this.deps.repositories.realtime.release(connectionId, this.deps.workerId, state);
  }

  private async maybeSweep(connectionId: string): Promise<void> {
    const interval = this.deps.settings.sweepIntervalMs;
    if (interval <= 0) return;
    const health = await this.deps.repositories.realtime.health(connectionId);
    const now = new Date();
    if (!health?.lastSweepAt) {
      // The first sweep comes one interval after the subscription began.
      await this.deps.repositories.realtime.markSwept(connectionId, now);
      return;
    }
    if (now.getTime() - health.lastSweepAt.getTime() < interval) return;
    const connection = await this.deps.repositories.connections.findById(connectionId);
    if (!connection) return;
    await this.deps.repositories.realtime.markSwept(connectionId, now);
    await this.reconcile(connection, 'sweep');
  }

  /**
   * Catches up by an incremental pull (SystemModstamp since the last cursor, deletes through
   * queryAll): after a replay id Salesforce no longer retains, an overflow event, or as the
   * periodic sweep for what no trigger reported (cascade deletes, merges under `flows`). A
   * sweep is skipped while a job of the connection is queued or running anyway.
   */
  async reconcile(connection: ConnectionRow, reason: string): Promise<void> {
    if (reason === 'sweep' && (await this.deps.repositories.syncJobs.hasActive(connection.id))) {
      return;
    }
    const started = await this.syncJobs.start(
      connection.workspaceId,
      connection.id,
      { kind: 'pull', mode: 'incremental' },
      `realtime:${reason}`,
    );
    if (!started.ok) {
      this.deps.logger.warn(
        { connectionId: connection.id, reason, error: started.error.message },
        'reconciliation pull not queued',
      );
    }
  }

  /**
   * Sets where a connection's real-time changes come from and tells the org (the package's
   * Flows publish only when it is `flows`). The subscription follows within a tick.
   */
  async setChangeSource(
    workspaceId: string,
    connectionId: string,
    source: ChangeSource,
  ): Promise<Outcome<ConnectionRow>> {
    const { connections, repositories } = this.deps;
    const found = await connections.get(workspaceId, connectionId);
    if (!found.ok) return found;
    if (found.value.status !== 'active' || !found.value.orgId) {
      return problem(
        'conflict',
        'connection_not_active',
        'Only an active connection has a change source',
      );
    }
    let settingProblem: string | null = null;
    try {
      await writeChangeSourceSetting(connections.client(found.value), found.value.orgId, source);
    } catch (error) {
      settingProblem = `The org's Pryzm_Settings__c could not be set: ${(error as Error).message}`;
    }
    const updated = await repositories.connections.update(connectionId, {
      changeSource: source,
      changeSourceProblem: settingProblem,
    });
    const previous = found.value.changeSource;
    if (previous !== source) {
      // The health shows the new subscription's own progress, not the last one's.
      await repositories.realtime.setState(
        connectionId,
        null,
        source === 'paused' ? 'paused' : 'starting',
      );
    }
    void this.tick();
    return ok(updated);
  }

  async health(connection: ConnectionRow): Promise<RealtimeHealth> {
    const row = await this.deps.repositories.realtime.health(connection.id);
    const held = !!row?.holderId && !!row.expiresAt && row.expiresAt.getTime() > Date.now();
    const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);
    return {
      changeSource: connection.changeSource,
      settingProblem: connection.changeSourceProblem,
      state:
        connection.changeSource === 'paused'
          ? 'paused'
          : !this.enabled && !held
            ? 'stopped'
            : (row?.state ?? 'stopped'),
      message: row?.stateMessage ?? null,
      held,
      lastEventAt: iso(row?.lastEventAt),
      lastAppliedAt: iso(row?.lastAppliedAt),
      lagMs: row?.lagMs ?? null,
      eventsApplied: row?.eventsApplied ?? 0,
      lastSweepAt: iso(row?.lastSweepAt),
    };
  }
}
