import type { RequestHandler } from 'express';
/**
 * What readiness asks of the database: whether it answers and which migrations are applied.
 * The store's `Database` is one; the HTTP layer names only what it reads.
 */
export interface DatabaseProbe {
  readonly provider: string;
  check(): Promise<
    | { reachable: true; status: { applied: readonly string[]; pending: readonly string[] } }
    | { reachable: false; error: string }
  >;
}

/** Readiness: the database answers and every committed migration is applied. */
export function getReadyz(database: DatabaseProbe): RequestHandler {
  return async (_req, res) => {
    const check = await database.check();
    if (!check.reachable) {
      res.status(503).json({
        error: {
          code: 'database_unreachable',
          message: `The ${database.provider} database is not reachable`,
        },
      });
      return;
    }
    const { applied, pending } = check.status;
    if (pending.length > 0) {
      res.status(503).json({
        error: {
          code: 'migrations_pending',
          message: `${pending.length} database migration(s) not applied yet`,
          pending,
        },
      });
      return;
    }
    res.json({
      status: 'ready',
      database: { provider: database.provider, migrations: applied.length },
    });
  };
}
