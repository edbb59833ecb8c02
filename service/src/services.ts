import { AuditLog } from './access/audit-log.ts';
import { ConsoleSessions } from './access/console-sessions.ts';
import { FieldHiding } from './access/field-hiding.ts';
import { MemberService } from './access/members.ts';
import { AccessActions } from './access/governance/access-action-service.ts';
import { AccessService } from './access/governance/access-service.ts';
import { ConnectionService, type ConnectionSettings } from './connections/connection-service.ts';
import { DescribeService } from './connections/describe-service.ts';
import type { SecretBox } from './crypto/secret-box.ts';
import type { Logger } from './logging/logger.ts';
import type { PryzmValues } from './mapping/attribute-types.ts';
import { MappingService } from './mappings/mapping-service.ts';
import { RecordService } from './records/record-service.ts';
import { RecordTypeService } from './records/record-type-service.ts';
import type { Repositories } from './store/repositories/index.ts';
import type { JobQueue } from './sync/jobs/job-queue.ts';
import { SyncJobs, type SyncSettings } from './sync/jobs/sync-jobs.ts';
import { Conflicts } from './sync/conflicts/conflicts.ts';
import { AutoPush, DEFAULT_AUTO_PUSH_SETTINGS } from './sync/push/auto-push.ts';
import { RecordPush } from './sync/push/push-record.ts';
import { SyncControl } from './sync/sync-control.ts';
import { SyncEvents } from './sync/sync-events.ts';
import { DEFAULT_REALTIME_SETTINGS, type RealtimeSettings } from './sync/realtime/realtime-deps.ts';
import { RealtimeSync } from './sync/realtime/realtime-sync.ts';
import { OutboundMessages } from './sync/realtime/outbound-messages.ts';
import { WorkspaceService } from './workspaces/workspace-service.ts';
import { EventBus, type PryzmEvent } from './events/event-bus.ts';
import { WebhookSender, type WebhookSettings } from './webhooks/webhook-sender.ts';
import { WebhookService } from './webhooks/webhook-service.ts';
import { SoqlPassthrough } from './connections/soql-passthrough.ts';
import { RecordCsv } from './records/record-csv.ts';

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
  /** What happened, for webhooks and server-sent event streams (this process's events). */
  events: EventBus;
  webhooks: WebhookService;
  /** Sends webhook deliveries and retries them; started and stopped with the service. */
  webhookSender: WebhookSender;
  /** Read-only SOQL against a connection's org (Admins). */
  soql: SoqlPassthrough;
  /** Records of a record type as CSV, out and in. */
  recordCsv: RecordCsv;
  /** The audit trail: `audit.record({...})` for every administrative action. */
  audit: AuditLog;
  members: MemberService;
  consoleSessions: ConsoleSessions;
  /** Sensitive attributes: hidden from Viewers and from webhooks (`fieldHiding.forWebhook`). */
  fieldHiding: FieldHiding;
  /** Real-time sync: subscriptions, change sources and their health. */
  realtime: RealtimeSync;
  /** Pryzm changes on auto-push mappings to Salesforce within seconds (on with real-time sync). */
  autoPush: AutoPush;
  /** Salesforce Outbound Messages: the endpoint's secret and the notifications it takes. */
  outboundMessages: OutboundMessages;
  /** Access governance: pulls of users, roles, licences, permissions, logins and tokens; findings. */
  access: AccessService;
  /** Admin actions on an org's access, previewed or run, each recorded. */
  accessActions: AccessActions;
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
  /** Webhook delivery settings (private targets refused, a day of retries by default). */
  webhooks?: Partial<WebhookSettings>;
  /** Real-time sync; off (no subscriptions in this process) when left out. */
  realtime?: Partial<RealtimeSettings> & { enabled: boolean; pubSubEndpoint: string };
}

export function createServices({
  repositories,
  box,
  settings,
  logger,
  adminToken,
  queue,
  syncSettings,
  realtime,
  webhooks: webhookSettings,
}: ServiceContext): Services {
  const events = new EventBus((error) => logger.error({ err: error }, 'event listener failed'));
  const connections = new ConnectionService(repositories, box, settings, logger);
  const describes = new DescribeService(repositories, connections);
  const recordTypes = new RecordTypeService(repositories);
  const mappings = new MappingService(repositories, connections, describes, recordTypes);
  const workspaces = new WorkspaceService(repositories, adminToken);
  const syncJobs = new SyncJobs(
    repositories,
    connections,
    mappings,
    describes,
    queue,
    syncSettings,
    logger,
    events,
  );
  const { enabled = false, ...realtimeSettings } = realtime ?? {};
  const fieldHiding = new FieldHiding(recordTypes);
  const records = new RecordService(repositories, events);
  // Records and conflicts the sync engine commits are announced like the API's writes.
  new SyncEvents(repositories, events, logger).start();
  const webhookSender = new WebhookSender(
    repositories.webhooks,
    box,
    events,
    {
      allowPrivateTargets: false,
      firstRetryMs: 10_000,
      retryForMs: 24 * 3_600_000,
      timeoutMs: 10_000,
      pollMs: 5_000,
      ...webhookSettings,
    },
    logger,
    // Attributes an Admin marked sensitive never leave in a webhook (one read per record type).
    async (batch) => {
      const views = new Map<string, Promise<(values: PryzmValues) => PryzmValues>>();
      const visible: PryzmEvent[] = [];
      for (const event of batch) {
        const record = event.data.record as { recordType: string; values: PryzmValues } | undefined;
        if (!record) {
          visible.push(event);
          continue;
        }
        const key = `${event.workspaceId}:${record.recordType}`;
        if (!views.has(key)) {
          views.set(key, fieldHiding.webhookView(event.workspaceId, record.recordType));
        }
        const values = (await views.get(key)!)(record.values);
        visible.push({ ...event, data: { ...event.data, record: { ...record, values } } });
      }
      return visible;
    },
  );
  return {
    workspaces,
    recordTypes,
    records,
    connections,
    describes,
    mappings,
    sync: new SyncControl(connections, repositories.mappings),
    syncJobs,
    recordPush: new RecordPush(repositories, connections, mappings, describes),
    conflicts: new Conflicts(repositories, connections, mappings, describes),
    audit: new AuditLog(repositories.auditEvents),
    members: new MemberService(repositories, workspaces),
    consoleSessions: new ConsoleSessions(repositories.consoleSessions),
    fieldHiding,
    realtime: new RealtimeSync(
      {
        repositories,
        connections,
        mappings,
        describes,
        logger,
        settings: {
          ...DEFAULT_REALTIME_SETTINGS,
          pubSubEndpoint: 'api.pubsub.salesforce.com:7443',
          ...realtimeSettings,
        },
        workerId: syncSettings.workerId,
      },
      syncJobs,
      enabled,
    ),
    autoPush: new AutoPush(
      {
        repositories,
        connections,
        mappings,
        describes,
        logger,
        // Auto push leases last and renew as real-time subscriptions' do.
        settings: {
          ...DEFAULT_AUTO_PUSH_SETTINGS,
          ...(realtime?.leaseTtlMs ? { leaseTtlMs: realtime.leaseTtlMs } : {}),
          ...(realtime?.tickMs ? { tickMs: realtime.tickMs } : {}),
        },
        workerId: syncSettings.workerId,
      },
      enabled,
    ),
    outboundMessages: new OutboundMessages({
      repositories,
      connections,
      mappings,
      describes,
      logger,
      workerId: syncSettings.workerId,
      publicUrl: settings.publicUrl,
    }),
    access: new AccessService(repositories.access, connections, syncSettings, logger),
    accessActions: new AccessActions(repositories.access, connections),
    events,
    webhooks: new WebhookService(
      repositories.webhooks,
      box,
      webhookSender,
      webhookSettings?.allowPrivateTargets ?? false,
    ),
    webhookSender,
    soql: new SoqlPassthrough(connections),
    recordCsv: new RecordCsv(records, recordTypes),
  };
}
