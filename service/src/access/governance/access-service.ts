import type { ConnectionService } from '../../connections/connection-service.ts';
import type { Logger } from '../../logging/logger.ts';
import { problem, type Outcome } from '../../outcome/problem.ts';
import { ok } from '../../outcome/result.ts';
import type {
  AccessPullRow,
  AccessRepository,
  AccessSettingsRow,
  Page,
  RecordFilter,
} from '../../store/repositories/access.ts';
import { runAccessPull, type PullSettings } from './access-pull.ts';
import { kindNamed } from './kinds.ts';

export type { AccessPullRow, AccessSettingsRow };

/** A pull whose process has not reported for this long is taken for dead. */
const STALE_MS = 10 * 60_000;

/**
 * Access governance of a workspace's connections: pulls (on demand and every
 * `pullIntervalHours`), the lists and findings they leave, and the thresholds.
 *
 * A pull is its own run record (`AccessPull`), not a sync job: sync jobs run one at a time per
 * connection on the sync queue, scoped by mappings and checkpointed per record, and an hour-long
 * login-history read must not hold a connection's "Sync now" back. A pull runs in the process
 * that started it (or whose scheduler found it due); a second one for the same connection is
 * refused while the first reports progress, and a pull whose process stopped reporting is
 * marked failed when the next one starts.
 */
export class AccessService {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly repository: AccessRepository,
    private readonly connections: ConnectionService,
    private readonly settings: PullSettings & { workerId: string },
    private readonly logger: Logger,
  ) {}

  async startPull(
    workspaceId: string,
    connectionId: string,
    startedBy: string,
  ): Promise<Outcome<AccessPullRow>> {
    const connection = await this.connections.get(workspaceId, connectionId);
    if (!connection.ok) return connection;
    if (connection.value.status !== 'active') {
      return problem(
        'conflict',
        'connection_not_active',
        `The connection is ${connection.value.status.replace(/_/g, ' ')}; its access data stays readable, but only an active connection pulls`,
      );
    }
    const staleBefore = new Date(Date.now() - STALE_MS);
    const last = await this.repository.lastPull(connectionId);
    const active = await this.repository.activePull(connectionId, staleBefore);
    if (active) {
      return problem(
        'conflict',
        'access_pull_running',
        `Access pull ${active.id} is ${active.status}`,
        {
          pullId: active.id,
        },
      );
    }
    if (last && (last.status === 'running' || last.status === 'queued')) {
      await this.repository.updatePull(last.id, {
        status: 'failed',
        error: 'The process running this pull stopped reporting',
        finishedAt: new Date(),
      });
    }
    const allowance = await this.connections.allowance({ id: connectionId });
    if (allowance.exhausted) {
      return problem(
        'conflict',
        'allowance_exhausted',
        `The connection spent ${allowance.spentLast24Hours} of its ${allowance.budget} API requests in the last 24 hours`,
      );
    }
    const pull = await this.repository.createPull({ workspaceId, connectionId, startedBy });
    const work = this.run(pull).finally(() => this.running.delete(work));
    this.running.add(work);
    return ok(pull);
  }

  private async run(pull: AccessPullRow): Promise<void> {
    let calls = 0;
    const client = this.connections.client({ id: pull.connectionId }, (kind) => {
      if (kind === 'api') calls += 1;
    });
    await this.repository.updatePull(pull.id, {
      status: 'running',
      startedAt: new Date(),
      heartbeatAt: new Date(),
      workerId: this.settings.workerId,
    });
    try {
      const result = await runAccessPull(
        this.repository,
        { pull, client, apiCalls: () => calls, now: () => new Date() },
        this.settings,
      );
      await this.repository.updatePull(pull.id, {
        status: 'succeeded',
        objects: result.objects,
        findings: result.findings,
        apiCalls: calls,
        finishedAt: new Date(),
      });
      this.logger.info(
        {
          pullId: pull.id,
          connectionId: pull.connectionId,
          apiCalls: calls,
          findings: result.findings,
        },
        'access pull succeeded',
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error({ err: error, pullId: pull.id }, 'access pull failed');
      await this.repository
        .updatePull(pull.id, {
          status: 'failed',
          error: message,
          apiCalls: calls,
          finishedAt: new Date(),
        })
        .catch(() => undefined);
    }
  }

  /** Waits for pulls this process runs (tests; a stopping process). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async pull(workspaceId: string, id: string): Promise<Outcome<AccessPullRow>> {
    const row = await this.repository.findPull(workspaceId, id);
    return row ? ok(row) : problem('not_found', 'access_pull_not_found', `No access pull ${id}`);
  }

  async pulls(workspaceId: string, connectionId: string, page: Page) {
    const connection = await this.known(workspaceId, connectionId);
    if (!connection.ok) return connection;
    return ok(await this.repository.listPulls(connectionId, page));
  }

  async list(
    workspaceId: string,
    connectionId: string,
    kind: string,
    filter: RecordFilter,
    page: Page,
  ) {
    const connection = await this.known(workspaceId, connectionId);
    if (!connection.ok) return connection;
    if (!kindNamed(kind))
      return problem('not_found', 'access_list_not_found', `No access list ${kind}`);
    return ok(await this.repository.listRecords(connectionId, kind, filter, page));
  }

  async logins(
    workspaceId: string,
    connectionId: string,
    filter: { userId?: string; status?: string; since?: Date; failedOnly?: boolean },
    page: Page,
  ) {
    const connection = await this.known(workspaceId, connectionId);
    if (!connection.ok) return connection;
    return ok(await this.repository.listLogins(connectionId, filter, page));
  }

  async findings(
    workspaceId: string,
    connectionId: string,
    filter: { kind?: string; subjectId?: string },
    page: Page,
  ) {
    const connection = await this.known(workspaceId, connectionId);
    if (!connection.ok) return connection;
    return ok(await this.repository.listFindings(connectionId, filter, page));
  }

  async thresholds(workspaceId: string, connectionId: string): Promise<Outcome<AccessSettingsRow>> {
    const connection = await this.known(workspaceId, connectionId);
    if (!connection.ok) return connection;
    return ok(await this.repository.settings(connectionId));
  }

  /** Changes thresholds; they apply from the next pull's findings. */
  async updateThresholds(
    workspaceId: string,
    connectionId: string,
    changes: Partial<Omit<AccessSettingsRow, 'connectionId'>>,
  ): Promise<Outcome<AccessSettingsRow>> {
    const connection = await this.known(workspaceId, connectionId);
    if (!connection.ok) return connection;
    return ok(await this.repository.saveSettings(connectionId, changes));
  }

  /** The scheduler's look: starts a pull for every active connection that is due. */
  async tick(now = new Date()): Promise<string[]> {
    const started: string[] = [];
    for (const due of await this.repository.duePulls(now)) {
      const pull = await this.startPull(due.workspaceId, due.connectionId, 'schedule');
      if (pull.ok) started.push(due.connectionId);
    }
    return started;
  }

  /** The connection exists in the workspace (any status: a disconnected org's data stays). */
  private async known(workspaceId: string, connectionId: string): Promise<Outcome<true>> {
    const connection = await this.connections.get(workspaceId, connectionId);
    return connection.ok ? ok(true) : connection;
  }
}
