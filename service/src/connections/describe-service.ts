import { ok } from '../outcome/result.ts';
import { SalesforceApiError } from '../salesforce/client.ts';
import type { UsageRecorder } from '../salesforce/usage.ts';
import { resolveApiName } from '../salesforce/namespace.ts';
import type { DescribeCacheRepository } from '../store/repositories/describes.ts';
import { GLOBAL_DESCRIBE } from '../store/repositories/describes.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { Connection } from './connection.ts';
import type { ConnectionService } from './connection-service.ts';
import { problem, type Outcome } from '../outcome/problem.ts';
import { salesforceProblem } from './salesforce-problem.ts';

export interface GlobalDescribe {
  sobjects: { name: string; label?: string; custom?: boolean; queryable?: boolean }[];
}

export interface CachedDescribe<T> {
  describe: T;
  fetchedAt: Date;
  /** Whether this answer came from Salesforce just now rather than the cache. */
  fresh: boolean;
}

/**
 * Describes per connection, kept in the database: read from the cache, fetched on a miss or
 * when asked to refresh. Object names resolve with or without the package namespace.
 */
export class DescribeService {
  private readonly cache: DescribeCacheRepository;

  constructor(
    repositories: Pick<Repositories, 'describes'>,
    private readonly connections: ConnectionService,
  ) {
    this.cache = repositories.describes;
  }

  /** `alsoCount` also counts the calls made (a sync job's own count, beside the connection's). */
  async global(
    connection: Connection,
    refresh = false,
    alsoCount?: UsageRecorder,
  ): Promise<Outcome<CachedDescribe<GlobalDescribe>>> {
    if (!refresh) {
      const cached = await this.cache.get(connection.id, GLOBAL_DESCRIBE);
      if (cached) {
        return ok({
          describe: cached.payload as GlobalDescribe,
          fetchedAt: cached.fetchedAt,
          fresh: false,
        });
      }
    }
    try {
      const describe = (await this.connections
        .client(connection, alsoCount)
        .describeGlobal()) as GlobalDescribe;
      const fetchedAt = await this.cache.put(connection.id, GLOBAL_DESCRIBE, describe);
      return ok({ describe, fetchedAt, fresh: true });
    } catch (error) {
      return salesforceProblem(error);
    }
  }

  /** The org's API name for an object (`Pryzm_Sync_Log__c` → `pryzm__Pryzm_Sync_Log__c`). */
  async resolveObjectName(
    connection: Connection,
    name: string,
    alsoCount?: UsageRecorder,
  ): Promise<Outcome<string>> {
    let global = await this.global(connection, false, alsoCount);
    if (!global.ok) return global;
    let resolved = resolveApiName(
      name,
      global.value.describe.sobjects.map((s) => s.name),
    );
    if (!resolved && !global.value.fresh) {
      global = await this.global(connection, true, alsoCount);
      if (!global.ok) return global;
      resolved = resolveApiName(
        name,
        global.value.describe.sobjects.map((s) => s.name),
      );
    }
    return resolved
      ? ok(resolved)
      : problem('not_found', 'unknown_object', `The org has no object ${name}`);
  }

  async object(
    connection: Connection,
    name: string,
    refresh = false,
    alsoCount?: UsageRecorder,
  ): Promise<Outcome<CachedDescribe<Record<string, unknown> & { name: string }>>> {
    const resolved = await this.resolveObjectName(connection, name, alsoCount);
    if (!resolved.ok) return resolved;
    const objectName = resolved.value;
    if (!refresh) {
      const cached = await this.cache.get(connection.id, objectName);
      if (cached) {
        return ok({
          describe: cached.payload as Record<string, unknown> & { name: string },
          fetchedAt: cached.fetchedAt,
          fresh: false,
        });
      }
    }
    try {
      const describe = (await this.connections
        .client(connection, alsoCount)
        .describe(objectName)) as Record<string, unknown> & { name: string };
      const fetchedAt = await this.cache.put(connection.id, objectName, describe);
      return ok({ describe, fetchedAt, fresh: true });
    } catch (error) {
      if (error instanceof SalesforceApiError && error.errorCode === 'NOT_FOUND') {
        // Deleted in Salesforce since the global describe was cached: forget both.
        await this.cache.delete(connection.id, objectName);
        await this.cache.delete(connection.id, GLOBAL_DESCRIBE);
        return problem('not_found', 'unknown_object', `The org has no object ${objectName}`);
      }
      return salesforceProblem(error);
    }
  }

  clear(connectionId: string): Promise<void> {
    return this.cache.clear(connectionId);
  }
}
