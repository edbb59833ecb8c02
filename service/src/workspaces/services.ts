import type { PrismaClient } from '../store/database.ts';
import { RecordService } from './record-service.ts';
import { RecordTypeService } from './record-type-service.ts';
import { WorkspaceService } from './workspace-service.ts';

/** The domain services the HTTP layer calls. */
export interface Services {
  workspaces: WorkspaceService;
  recordTypes: RecordTypeService;
  records: RecordService;
}

export function createServices(prisma: PrismaClient): Services {
  return {
    workspaces: new WorkspaceService(prisma),
    recordTypes: new RecordTypeService(prisma),
    records: new RecordService(prisma),
  };
}
