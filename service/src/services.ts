import { ConnectionService, type ConnectionSettings } from './connections/connection-service.ts';
import { DescribeService } from './connections/describe-service.ts';
import type { SecretBox } from './crypto/secret-box.ts';
import type { Logger } from './logging/logger.ts';
import { MappingService } from './mappings/mapping-service.ts';
import { RecordService } from './records/record-service.ts';
import { RecordTypeService } from './records/record-type-service.ts';
import type { Repositories } from './store/repositories/index.ts';
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
}

export interface ServiceContext {
  repositories: Repositories;
  box: SecretBox;
  settings: ConnectionSettings;
  logger: Logger;
  /** The operator's bearer token for workspace administration. */
  adminToken?: string;
}

export function createServices({
  repositories,
  box,
  settings,
  logger,
  adminToken,
}: ServiceContext): Services {
  const connections = new ConnectionService(repositories, box, settings, logger);
  const describes = new DescribeService(repositories, connections);
  const recordTypes = new RecordTypeService(repositories);
  return {
    workspaces: new WorkspaceService(repositories, adminToken),
    recordTypes,
    records: new RecordService(repositories),
    connections,
    describes,
    mappings: new MappingService(repositories, connections, describes, recordTypes),
    sync: new SyncControl(connections, repositories.mappings),
  };
}
