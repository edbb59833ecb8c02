import { Router, type Request, type Response } from 'express';
import { apiContext, NOT_FOUND, sendErrors, sendJson } from '../rest/respond.ts';
import { jobInfo, jobsOf, type Job } from './job-store.ts';

/**
 * The Bulk API 2.0 job routes, one set for both job kinds under `/jobs/<kind>`: create, list,
 * job info, state changes (abort, and what else the kind accepts), delete, and the kind's own
 * routes under a job (uploads, results). What differs between query and ingest jobs lives in
 * their `BulkJobKind`.
 */

export function invalidInput(res: Response, message: string, status = 400): void {
  sendErrors(res, status, [{ message, errorCode: 'INVALID_INPUT' }]);
}

/** The job a request's `:jobId` names, of the route's kind; else a 404 is sent. */
export type FindJob<J extends Job> = (req: Request, res: Response) => J | undefined;

export interface BulkJobKind<J extends Job> {
  /** `query` or `ingest`, also the path segment after `/jobs/`. */
  kind: J['kind'];
  /** `POST /jobs/<kind>`: validates the request, stores the job and answers its info. */
  create(req: Request, res: Response): void;
  /**
   * `PATCH /jobs/<kind>/:jobId` to a state other than `Aborted`: answers true when the kind
   * handled it (a response is sent), false when the kind does not accept that state.
   */
  changeState?(job: J, state: unknown, res: Response): boolean;
  /** Called as a job turns `Aborted`, before its info is sent. */
  aborted?(job: J): void;
  /** Routes of the kind under `/jobs/<kind>/:jobId/...` (uploads, results). */
  jobRoutes(r: Router, base: string, find: FindJob<J>): void;
}

function isTerminal(job: Job): boolean {
  return job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted';
}

function addJobKind<J extends Job>(r: Router, kind: BulkJobKind<J>): void {
  const base = `/jobs/${kind.kind}`;

  r.post(base, (req, res) => kind.create(req, res));

  r.get(base, (_req, res) => {
    const { org } = apiContext(res);
    sendJson(res, 200, {
      done: true,
      records: jobsOf(org)
        .list(kind.kind)
        .map((j) => jobInfo(j, false)),
      nextRecordsUrl: null,
    });
  });

  const find: FindJob<J> = (req, res) => {
    const job = jobsOf(apiContext(res).org).get(String(req.params['jobId']), kind.kind);
    if (!job) sendErrors(res, 404, NOT_FOUND);
    return job as J | undefined;
  };

  r.get(`${base}/:jobId`, (req, res) => {
    const job = find(req, res);
    if (job) sendJson(res, 200, jobInfo(job, true));
  });

  r.patch(`${base}/:jobId`, (req, res) => {
    const job = find(req, res);
    if (!job) return;
    const state = (req.body as Record<string, unknown> | undefined)?.['state'];
    if (state === 'Aborted') {
      if (isTerminal(job)) {
        return invalidInput(res, `Job is already in a terminal state: ${job.state}`, 409);
      }
      jobsOf(apiContext(res).org).touch(job, 'Aborted');
      kind.aborted?.(job);
      sendJson(res, 200, jobInfo(job, false));
      return;
    }
    if (kind.changeState?.(job, state, res)) return;
    invalidInput(res, `Invalid state: ${String(state)}`);
  });

  r.delete(`${base}/:jobId`, (req, res) => {
    const job = find(req, res);
    if (!job) return;
    if (job.state === 'UploadComplete' || job.state === 'InProgress') {
      return invalidInput(res, 'Job must be in a terminal state to be deleted', 409);
    }
    jobsOf(apiContext(res).org).delete(job.id);
    res.status(204).end();
  });

  kind.jobRoutes(r, base, find);
}

/** One router serving every given job kind. */
export function bulkJobsRouter(kinds: BulkJobKind<Job>[]): Router {
  const r = Router({ mergeParams: true });
  for (const kind of kinds) addJobKind(r, kind);
  return r;
}
