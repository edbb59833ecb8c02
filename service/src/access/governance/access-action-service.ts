import type { ConnectionService } from '../../connections/connection-service.ts';
import { problem, type Outcome } from '../../outcome/problem.ts';
import { ok } from '../../outcome/result.ts';
import { SalesforceApiError } from '../../salesforce/client.ts';
import type { AccessActionRow, AccessRepository, Page } from '../../store/repositories/access.ts';
import type { ActionRequest } from './action-requests.ts';
import {
  USERS_CANNOT_BE_DELETED,
  executeSteps,
  overallStatus,
  planAction,
  previewSteps,
  type StepResult,
} from './access-actions.ts';

export type { AccessActionRow };

/** Told about each action once it is recorded (the workspace's audit trail). */
export type ActionAudit = (action: AccessActionRow) => Promise<void>;

/**
 * Runs admin actions on a connection's org: refuses what needs confirming, previews dry runs,
 * and records every action (dry runs and refusals too) with who asked, what, when and
 * Salesforce's answer per record.
 */
export class AccessActions {
  constructor(
    private readonly repository: AccessRepository,
    private readonly connections: ConnectionService,
    private readonly audit: ActionAudit = async () => {},
  ) {}

  async run(
    workspaceId: string,
    connectionId: string,
    request: ActionRequest,
    options: { dryRun: boolean; confirm: boolean; actor: string },
  ): Promise<Outcome<AccessActionRow>> {
    const connection = await this.connections.get(workspaceId, connectionId);
    if (!connection.ok) return connection;
    const record = async (status: string, results: StepResult[], apiCalls: number) => {
      const row = await this.repository.recordAction({
        workspaceId,
        connectionId,
        action: request.action,
        request: request as unknown as Record<string, unknown>,
        dryRun: options.dryRun,
        status,
        actor: options.actor,
        results,
        apiCalls,
      });
      await this.audit(row);
      return row;
    };
    if (request.action === 'delete-user') {
      const row = await record(
        'refused',
        request.userIds.map((userId) => ({
          op: 'delete',
          object: 'User',
          userId,
          salesforceId: userId,
          status: 'refused',
          error: { code: 'USERS_CANNOT_BE_DELETED', message: USERS_CANNOT_BE_DELETED },
        })),
        0,
      );
      return problem('unprocessable', 'users_cannot_be_deleted', USERS_CANNOT_BE_DELETED, {
        actionId: row.id,
        suggestedAction: { action: 'deactivate-user', userIds: request.userIds },
      });
    }
    if (connection.value.status !== 'active') {
      return problem(
        'conflict',
        'connection_not_active',
        `The connection is ${connection.value.status.replace(/_/g, ' ')}; actions need an active connection`,
      );
    }
    if (!options.dryRun && !options.confirm) {
      return problem(
        'invalid',
        'confirmation_required',
        'Actions change the org: send "confirm": true, or "dryRun": true to see what would change',
      );
    }
    let calls = 0;
    const client = this.connections.client(connection.value, (kind) => {
      if (kind === 'api') calls += 1;
    });
    try {
      const steps = (await planAction(client, request)) ?? [];
      if (options.dryRun) return ok(await record('previewed', previewSteps(steps), calls));
      const results = await executeSteps(client, steps);
      const status = overallStatus(results);
      const row = await record(status, results, calls);
      if (status === 'failed') {
        const first = results.find((r) => r.error)?.error;
        return problem(
          'unprocessable',
          first?.code ?? 'action_failed',
          first?.message ?? 'Salesforce refused the action',
          {
            actionId: row.id,
            results,
          },
        );
      }
      return ok(row);
    } catch (error) {
      if (!(error instanceof SalesforceApiError)) throw error;
      // The whole call was refused (a malformed id, an object the org does not have).
      const row = await record(
        'failed',
        [
          {
            op: 'skip',
            object: '',
            userId: null,
            salesforceId: null,
            status: 'failed',
            error: { code: error.errorCode, message: error.message },
          },
        ],
        calls,
      );
      return problem('unprocessable', error.errorCode, error.message, { actionId: row.id });
    }
  }

  async list(workspaceId: string, connectionId: string, page: Page) {
    const connection = await this.connections.get(workspaceId, connectionId);
    if (!connection.ok) return connection;
    return ok(await this.repository.listActions(connectionId, page));
  }
}
