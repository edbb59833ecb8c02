import express, { type NextFunction, type Request, type Response } from 'express';
import type { Org } from '../org/org.ts';
import type { LocalOrgRuntime } from '../org/runtime.ts';
import { identityUrl } from '../auth/token-response.ts';
import { apiMiddleware } from '../rest/api-middleware.ts';
import { collectionsRouter } from '../rest/collections.ts';
import { ingestJobs } from '../bulk/ingest-jobs.ts';
import { bulkJobsRouter } from '../bulk/job-routes.ts';
import { queryJobs } from '../bulk/query-jobs.ts';
import { compositeRouter } from '../rest/composite.ts';
import { queryRouter } from '../rest/query.ts';
import { NOT_FOUND, apiContext, sendErrors, sendJson } from '../rest/respond.ts';
import { sobjectsRouter } from '../rest/sobjects.ts';
import { versionList, versionResources } from '../rest/versions.ts';

/** What a port stands for: a login host (production or sandbox) or one org's My Domain. */
export type HostRole = { kind: 'login'; sandbox: boolean } | { kind: 'instance'; org: Org };

export interface AppParts {
  runtime: LocalOrgRuntime;
  roleOf(req: Request): HostRole;
  /** Further routers mounted before the API (OAuth, SOAP, Bulk, admin). */
  extraRoutes?: (app: express.Express) => void;
  /** Routers under `/services/data/:version` after the API middleware. */
  apiRoutes?: express.Router[];
}

export function hostOrg(parts: AppParts, req: Request): Org | undefined {
  const role = parts.roleOf(req);
  return role.kind === 'instance' ? role.org : undefined;
}

export function createApp(parts: AppParts): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // The sf CLI asks for `//services/data`; Salesforce treats repeated slashes as one.
  app.use((req, _res, next) => {
    if (req.url.startsWith('//')) req.url = req.url.replace(/^\/+/, '/');
    next();
  });
  app.use(
    express.json({
      limit: '100mb',
      type: (req) => {
        const type = String(req.headers['content-type'] ?? '');
        return type.includes('json') || (type === '' && req.method !== 'GET');
      },
    }),
  );
  app.use(express.text({ type: ['text/csv'], limit: '150mb' }));
  app.use(express.text({ type: ['text/xml', 'application/soap+xml'], limit: '10mb' }));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));

  parts.extraRoutes?.(app);

  const versions = (_req: Request, res: Response): void => sendJson(res, 200, versionList());
  app.get('/services/data', versions);
  app.get('/services/data/', versions);

  const api = express.Router({ mergeParams: true });
  api.use(apiMiddleware(parts.runtime, (req) => hostOrg(parts, req)));
  api.get('/', (_req, res) => {
    const { org, session, version } = apiContext(res);
    sendJson(res, 200, versionResources(version, identityUrl(org, session.userId)));
  });
  api.get('/limits', (_req, res) => sendJson(res, 200, apiContext(res).org.limits.report()));
  api.use(sobjectsRouter(parts.runtime));
  api.use(collectionsRouter());
  api.use(queryRouter());
  api.use(compositeRouter());
  api.use(bulkJobsRouter([queryJobs, ingestJobs]));
  for (const router of parts.apiRoutes ?? []) api.use(router);
  api.use((_req, res) => sendErrors(res, 404, NOT_FOUND));
  app.use('/services/data/:version', api);

  app.use((req, res) => {
    if (req.path.startsWith('/services/')) sendErrors(res, 404, NOT_FOUND);
    else res.status(404).type('text/plain').send('Not Found');
  });
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string; message?: string; status?: number };
    if (res.headersSent) return next(err);
    if (e.type === 'entity.parse.failed') {
      return sendErrors(res, 400, [
        {
          message: `${e.message ?? 'Unexpected character'} at [line:1, column:1]`,
          errorCode: 'JSON_PARSER_ERROR',
        },
      ]);
    }
    if (e.type === 'entity.too.large') {
      return sendErrors(res, 413, [
        { message: 'Request entity too large', errorCode: 'LIMIT_EXCEEDED' },
      ]);
    }
    sendErrors(res, 500, [
      {
        message: `An unexpected error occurred: ${e.message ?? String(err)}`,
        errorCode: 'UNKNOWN_EXCEPTION',
      },
    ]);
  });
  return app;
}
