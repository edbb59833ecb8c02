import type { PrismaClient } from '../database.ts';
import { AccessRepository } from './access.ts';
import { ApiKeyRepository } from './api-keys.ts';
import { AuditEventRepository } from './audit-events.ts';
import { AutoPushRepository } from './auto-push.ts';
import { ConsoleSessionRepository } from './console-sessions.ts';
import { ConnectionRepository } from './connections.ts';
import { DescribeCacheRepository } from './describes.ts';
import { LinkRepository } from './links.ts';
import { MappingRepository } from './mappings.ts';
import { MemberRepository } from './members.ts';
import { OAuthStateRepository } from './oauth-states.ts';
import { OutboundMessageRepository } from './outbound-messages.ts';
import { RecordTypeRepository } from './record-types.ts';
import { RealtimeRepository } from './realtime.ts';
import { RecordRepository } from './records.ts';
import { SyncConflictRepository } from './sync-conflicts.ts';
import { SyncDeleteStore } from './sync-deletes.ts';
import { SyncIngestJobStore } from './sync-ingest-jobs.ts';
import { SyncJobRepository } from './sync-jobs.ts';
import { SyncPageStore } from './sync-pages.ts';
import { SyncPushStore } from './sync-push.ts';
import { WebhookRepository } from './webhooks.ts';
import { WorkspaceRepository } from './workspaces.ts';

/**
 * Every repository over one database. Use cases take the ones they need (a `Pick` of this), so
 * a test can hand them fakes and the composition root hands them these.
 */
export interface Repositories {
  workspaces: WorkspaceRepository;
  apiKeys: ApiKeyRepository;
  members: MemberRepository;
  auditEvents: AuditEventRepository;
  consoleSessions: ConsoleSessionRepository;
  recordTypes: RecordTypeRepository;
  records: RecordRepository;
  links: LinkRepository;
  connections: ConnectionRepository;
  oauthStates: OAuthStateRepository;
  mappings: MappingRepository;
  describes: DescribeCacheRepository;
  syncJobs: SyncJobRepository;
  syncPages: SyncPageStore;
  syncPush: SyncPushStore;
  syncConflicts: SyncConflictRepository;
  syncDeletes: SyncDeleteStore;
  syncIngestJobs: SyncIngestJobStore;
  realtime: RealtimeRepository;
  webhooks: WebhookRepository;
  access: AccessRepository;
  outboundMessages: OutboundMessageRepository;
  autoPush: AutoPushRepository;
}

export function createRepositories(prisma: PrismaClient): Repositories {
  return {
    workspaces: new WorkspaceRepository(prisma),
    apiKeys: new ApiKeyRepository(prisma),
    members: new MemberRepository(prisma),
    auditEvents: new AuditEventRepository(prisma),
    consoleSessions: new ConsoleSessionRepository(prisma),
    recordTypes: new RecordTypeRepository(prisma),
    records: new RecordRepository(prisma),
    links: new LinkRepository(prisma),
    connections: new ConnectionRepository(prisma),
    oauthStates: new OAuthStateRepository(prisma),
    mappings: new MappingRepository(prisma),
    describes: new DescribeCacheRepository(prisma),
    syncJobs: new SyncJobRepository(prisma),
    syncPages: new SyncPageStore(prisma),
    syncPush: new SyncPushStore(prisma),
    syncConflicts: new SyncConflictRepository(prisma),
    syncDeletes: new SyncDeleteStore(prisma),
    syncIngestJobs: new SyncIngestJobStore(prisma),
    realtime: new RealtimeRepository(prisma),
    webhooks: new WebhookRepository(prisma),
    access: new AccessRepository(prisma),
    outboundMessages: new OutboundMessageRepository(prisma),
    autoPush: new AutoPushRepository(prisma),
  };
}
