import { AuditLog } from './access/audit-log.ts';
import { ConsoleSessions } from './access/console-sessions.ts';
import { FieldHiding } from './access/field-hiding.ts';
import { MemberService } from './access/members.ts';
import { ConnectionService, type ConnectionSettings } from './connections/connection-service.ts';
import { DescribeService } from './connections/describe-service.ts';
import type { SecretBox } from './crypto/secret-box.ts';
import type { Logger } from './logging/logger.ts';
import { MappingService } from './mappings/mapping-service.ts';
import { RecordService } from './records/record-service.ts';
import { RecordTypeService } from './records/record-type-service.ts';
import type { Repositories } from './store/repositories/index.ts';
import type { JobQueue } from './sync/jobs/job-queue.ts';
import { SyncJobs, type SyncSettings } from './sync/jobs/sync-jobs.ts';
import { Conflicts } from './sync/conflicts/conflicts.ts';
import { RecordPush } from './sync/push/push-record.ts';
import { SyncControl } from './sync/sync-control.ts';
import { WorkspaceService } from './workspaces/workspace-service.ts';

/** The use cases the HTTP layer calls, built once over one set of repositories. */
export interface Services {
  workspaces: WorkspaceService;
  recordTypes: RecordTypeService;
  records: RecordService;
  connections: ConnectionService;
  describes: DescribeService;
  mappings: MappingService;
  sync: SyncControl;
  syncJobs: SyncJobs;
  recordPush: RecordPush;
  conflicts: Conflicts;
  /** The audit trail: `audit.record({...})` for every administrative action. */
  audit: AuditLog;
  members: MemberService;
  consoleSessions: ConsoleSessions;
  /** Sensitive attributes: hidden from Viewers and from webhooks (`fieldHiding.forWebhook`). */
  fieldHiding: FieldHiding;
}

export interface ServiceContext {
  repositories: Repositories;
  box: SecretBox;
  settings: ConnectionSettings;
  logger: Logger;
  /** The operator's bearer token for workspace administration. */
  adminToken?: string;
  /** Delivers sync jobs to the processes that run them. */
  queue: JobQueue;
  syncSettings: SyncSettings;
}

export function createServices({
  repositories,
  box,
  settings,
  logger,
  adminToken,
  queue,
  syncSettings,
}: ServiceContext): Services {
  const connections = new ConnectionService(repositories, box, settings, logger);
  const describes = new DescribeService(repositories, connections);
  const recordTypes = new RecordTypeService(repositories);
  const mappings = new MappingService(repositories, connections, describes, recordTypes);
  const workspaces = new WorkspaceService(repositories, adminToken);
  return {
    workspaces,
    recordTypes,
    records: new RecordService(repositories),
    connections,
    describes,
    mappings,
    sync: new SyncControl(connections, repositories.mappings),
    syncJobs: new SyncJobs(
      repositories,
      connections,
      mappings,
      describes,
      queue,
      syncSettings,
      logger,
    ),
    recordPush: new RecordPush(repositories, connections, mappings, describes),
    conflicts: new Conflicts(repositories, connections, mappings, describes),
    audit: new AuditLog(repositories.auditEvents),
    members: new MemberService(repositories, workspaces),
    consoleSessions: new ConsoleSessions(repositories.consoleSessions),
    fieldHiding: new FieldHiding(recordTypes),
  };
}
