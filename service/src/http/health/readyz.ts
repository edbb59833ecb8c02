import type { RequestHandler } from 'express';
import type { Database } from '../../store/database.ts';

/** Readiness: the database answers and every committed migration is applied. */
export function getReadyz(database: Database): RequestHandler {
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
