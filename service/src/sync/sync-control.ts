import type { ConnectionService } from '../connections/connection-service.ts';
import type { Connection } from '../connections/connection.ts';
import type { Outcome } from '../outcome/problem.ts';
import type { MappingRepository } from '../store/repositories/mappings.ts';

/**
 * Starting and stopping the sync of a connection. Disconnecting stops it first: every mapping of
 * the connection is disabled, so no run starts on an org that is no longer connected; records,
 * links and mappings stay, so a reconnect picks up where it left off.
 */
export class SyncControl {
  constructor(
    private readonly connections: ConnectionService,
    private readonly mappings: Pick<MappingRepository, 'disableAll'>,
  ) {}

  /** Stops syncing a connection without disconnecting it: its mappings are disabled. */
  stop(connectionId: string): Promise<void> {
    return this.mappings.disableAll(connectionId);
  }

  /** Revokes the connection's token, forgets its secrets and stops its sync. */
  disconnect(
    workspaceId: string,
    connectionId: string,
  ): Promise<Outcome<{ connection: Connection; revoked: boolean }>> {
    return this.connections.disconnect(workspaceId, connectionId, (id) => this.stop(id));
  }
}
