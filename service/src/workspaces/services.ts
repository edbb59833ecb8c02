import type { Logger } from '../logging/logger.ts';
import type { SecretBox } from '../salesforce/crypto/secret-box.ts';
import type { PrismaClient } from '../store/database.ts';
import { ConnectionService, type ConnectionSettings } from './connection-service.ts';
import { DescribeService } from './describe-service.ts';
import { MappingService } from './mapping-service.ts';
import { RecordService } from './record-service.ts';
import { RecordTypeService } from './record-type-service.ts';
import { WorkspaceService } from './workspace-service.ts';

/** The domain services the HTTP layer calls. */
export interface Services {
  workspaces: WorkspaceService;
  recordTypes: RecordTypeService;
  records: RecordService;
  connections: ConnectionService;
  describes: DescribeService;
  mappings: MappingService;
  /** Stops syncing for a connection: its mappings are disabled, nothing is deleted. */
  stopSyncing(connectionId: string): Promise<void>;
}

export interface ServiceContext {
  prisma: PrismaClient;
  box: SecretBox;
  settings: ConnectionSettings;
  logger: Logger;
}

export function createServices({ prisma, box, settings, logger }: ServiceContext): Services {
  const connections = new ConnectionService(prisma, box, settings, logger);
  const describes = new DescribeService(prisma, connections);
  const recordTypes = new RecordTypeService(prisma);
  return {
    workspaces: new WorkspaceService(prisma),
    recordTypes,
    records: new RecordService(prisma),
    connections,
    describes,
    mappings: new MappingService(prisma, connections, describes, recordTypes),
    async stopSyncing(connectionId) {
      await prisma.objectMapping.updateMany({ where: { connectionId }, data: { enabled: false } });
    },
  };
}
