import { createRequire } from 'node:module';
import type * as Soql from '@jetstreamapp/soql-parser-js';
import type { Query } from '@jetstreamapp/soql-parser-js';
import { problem, type Outcome } from '../outcome/problem.ts';
import { ok } from '../outcome/result.ts';
import type { ConnectionService } from './connection-service.ts';
import { salesforceProblem } from './salesforce-problem.ts';

export interface SoqlPage {
  totalSize: number;
  done: boolean;
  records: Record<string, unknown>[];
  /** Send back as `cursor` for the next batch (Salesforce's query locator), null when done. */
  nextCursor: string | null;
}

const MAX_QUERY_LENGTH = 20_000;
/** `01gD0000002HU6KIAW-2000`: a query locator and the position of the next batch. */
const CURSOR = /^[A-Za-z0-9]{15,18}-\d{1,9}$/;

/**
 * Why a parsed SELECT would still write or lock. FOR VIEW and FOR REFERENCE update
 * LastViewedDate/LastReferencedDate and RecentlyViewed; FOR UPDATE locks the records; UPDATE
 * TRACKING and UPDATE VIEWSTAT write Knowledge statistics (SOQL and SOSL Reference, "FOR VIEW
 * and FOR REFERENCE", "FOR UPDATE", "UPDATE VIEWSTAT").
 */
function writesOrLocks(query: Query): string | null {
  if (query.for) return `FOR ${query.for} is not allowed: it updates or locks records`;
  if (query.update) return `UPDATE ${query.update} is not allowed: it writes statistics`;
  return null;
}

type SoqlParser = typeof Soql;
let soqlParser: SoqlParser | undefined;

/**
 * The SOQL parser, loaded on the first query rather than at the service's start: it takes about a
 * second and 14 MB of memory to load, and most services never run a passthrough query. Its
 * CommonJS build, so that loading it stays synchronous.
 */
function parser(): SoqlParser {
  soqlParser ??= createRequire(import.meta.url)('@jetstreamapp/soql-parser-js') as SoqlParser;
  return soqlParser;
}

/** Parses the text as one SOQL SELECT and answers the text regenerated from the parse tree. */
export function readOnlySoql(text: string): Outcome<string> {
  const { composeQuery, parseQuery } = parser();
  if (text.length > MAX_QUERY_LENGTH) {
    return problem('invalid', 'soql_too_long', `A query is at most ${MAX_QUERY_LENGTH} characters`);
  }
  let query: Query;
  try {
    query = parseQuery(text) as Query;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'not SOQL';
    return problem('invalid', 'soql_invalid', `Not a SOQL SELECT: ${reason}`);
  }
  const refused = writesOrLocks(query);
  if (refused) return problem('invalid', 'soql_not_read_only', refused);
  // What reaches Salesforce is what was parsed, never the caller's raw text.
  return ok(composeQuery(query));
}

/**
 * Read-only SOQL against a connection's org for Admins: one SELECT (or the next batch of one),
 * through the connection's counted client, refused when the connection's API allowance is spent.
 */
export class SoqlPassthrough {
  constructor(private readonly connections: ConnectionService) {}

  async query(
    workspaceId: string,
    connectionId: string,
    request: { query: string } | { cursor: string },
  ): Promise<Outcome<SoqlPage & { query?: string }>> {
    const found = await this.connections.get(workspaceId, connectionId);
    if (!found.ok) return found;
    const connection = found.value;
    if (connection.status !== 'active') {
      return problem(
        'conflict',
        'connection_not_active',
        `The connection is ${connection.status.replace(/_/g, ' ')}; only an active connection queries`,
      );
    }
    let resource: string;
    let soql: string | undefined;
    if ('query' in request) {
      const checked = readOnlySoql(request.query);
      if (!checked.ok) return checked;
      soql = checked.value;
      resource = `query?q=${encodeURIComponent(soql)}`;
    } else {
      if (!CURSOR.test(request.cursor)) {
        return problem('invalid', 'invalid_cursor', 'The cursor is not a query locator');
      }
      resource = `query/${request.cursor}`;
    }
    const allowance = await this.connections.allowance(connection);
    if (allowance.exhausted) {
      return problem(
        'conflict',
        'api_allowance_exhausted',
        `The connection spent ${allowance.spentLast24Hours} of its ${allowance.budget} API requests in the last 24 hours`,
      );
    }
    const client = this.connections.client(connection);
    try {
      const response = await client.fetch(client.dataPath(resource));
      const page = (await response.json()) as {
        totalSize: number;
        done: boolean;
        records: Record<string, unknown>[];
        nextRecordsUrl?: string;
      };
      return ok({
        ...(soql ? { query: soql } : {}),
        totalSize: page.totalSize,
        done: page.done,
        records: page.records,
        nextCursor: page.nextRecordsUrl?.split('/').pop() ?? null,
      });
    } catch (error) {
      return salesforceProblem(error);
    }
  }
}
