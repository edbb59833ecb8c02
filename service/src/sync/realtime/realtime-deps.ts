import type { ConnectionService } from '../../connections/connection-service.ts';
import type { DescribeService } from '../../connections/describe-service.ts';
import type { Logger } from '../../logging/logger.ts';
import type { MappingService } from '../../mappings/mapping-service.ts';
import type { ConnectionRow } from '../../store/repositories/connections.ts';
import type { Repositories } from '../../store/repositories/index.ts';

export interface RealtimeSettings {
  pubSubEndpoint: string;
  /** PEM roots to trust besides the system's (the local org's CA). */
  pubSubCa?: string;
  /** How long one real-time job window lasts. */
  windowMs: number;
  /** Reconciliation sweep interval per connection; 0: never. */
  sweepIntervalMs: number;
  /** A lease lasts this long unless renewed; another process takes over after it ran out. */
  leaseTtlMs: number;
  /** How often leases are renewed and connections looked at. */
  tickMs: number;
  /** Events requested per FetchRequest (at most 100). */
  batchSize: number;
  /**
   * Most change events applied as one batch: everything that arrived while the last batch
   * applied, up to this many, is read back with one SOQL per 200 ids and committed at once.
   */
  maxBatchEvents: number;
  /** Under a steady stream of changes, how long a batch may wait to fill (0: never waits). */
  lingerMs: number;
  /** Silence after which a stream is taken for dead (Salesforce sends keepalives within 270 s). */
  keepaliveTimeoutMs: number;
}

export const DEFAULT_REALTIME_SETTINGS: Omit<RealtimeSettings, 'pubSubEndpoint'> = {
  windowMs: 60_000,
  sweepIntervalMs: 15 * 60_000,
  leaseTtlMs: 15_000,
  tickMs: 5_000,
  batchSize: 100,
  maxBatchEvents: 200,
  lingerMs: 0,
  keepaliveTimeoutMs: 300_000,
};

/** What a connection's subscriber works with. */
export interface RealtimeDeps {
  repositories: Repositories;
  connections: ConnectionService;
  mappings: MappingService;
  describes: DescribeService;
  logger: Logger;
  settings: RealtimeSettings;
  /** Names this process in leases and jobs. */
  workerId: string;
  /** Queues a reconciliation pull (incremental, by SystemModstamp) for the connection. */
  reconcile(connection: ConnectionRow, reason: string): Promise<void>;
}
