import express, { Router, type Express, type RequestHandler } from 'express';
import { deleteConnection } from './api/workspaces/connections/delete.ts';
import { getObjectDescribe } from './api/workspaces/connections/describe/get-one.ts';
import { getGlobalDescribe } from './api/workspaces/connections/describe/get.ts';
import { getConnection } from './api/workspaces/connections/get-one.ts';
import { getConnections } from './api/workspaces/connections/get.ts';
import { postConnection } from './api/workspaces/connections/post.ts';
import { patchConnection } from './api/workspaces/connections/patch.ts';
import { postReauthorize } from './api/workspaces/connections/reauthorize/post.ts';
import { deleteMapping } from './api/workspaces/connections/mappings/delete.ts';
import { getDefaultMappings } from './api/workspaces/connections/mappings/defaults/get.ts';
import { postDefaultMappings } from './api/workspaces/connections/mappings/defaults/post.ts';
import { getMapping } from './api/workspaces/connections/mappings/get-one.ts';
import { getMappings } from './api/workspaces/connections/mappings/get.ts';
import { patchMapping } from './api/workspaces/connections/mappings/patch.ts';
import { postMapping } from './api/workspaces/connections/mappings/post.ts';
import { postPreflight } from './api/workspaces/connections/mappings/preflight/post.ts';
import { postValidateMapping } from './api/workspaces/connections/mappings/validate/post-one.ts';
import { postValidateDraft } from './api/workspaces/connections/mappings/validate/post.ts';
import { postPipelineFromStages } from './api/workspaces/record-types/from-salesforce-stages/post.ts';
import { getAuthorize } from './oauth/authorize/get.ts';
import { getCallback } from './oauth/callback/get.ts';
import { deleteApiKey } from './api/workspaces/api-keys/delete.ts';
import { getApiKeys } from './api/workspaces/api-keys/get.ts';
import { postApiKey } from './api/workspaces/api-keys/post.ts';
import { getWorkspace } from './api/workspaces/get-one.ts';
import { getWorkspaces } from './api/workspaces/get.ts';
import { postWorkspace } from './api/workspaces/post.ts';
import { deleteRecordType } from './api/workspaces/record-types/delete.ts';
import { getRecordType } from './api/workspaces/record-types/get-one.ts';
import { getRecordTypes } from './api/workspaces/record-types/get.ts';
import { patchRecordType } from './api/workspaces/record-types/patch.ts';
import { postRecordType } from './api/workspaces/record-types/post.ts';
import { getRecords } from './api/workspaces/record-types/records/get.ts';
import { postRecord } from './api/workspaces/record-types/records/post.ts';
import { deleteRecord } from './api/workspaces/records/delete.ts';
import { getRecordLinks } from './api/workspaces/records/links/get.ts';
import { getRecord } from './api/workspaces/records/get-one.ts';
import { patchRecord } from './api/workspaces/records/patch.ts';
import { workspaceAccess } from './api/workspaces/workspace-access.ts';
import { postJob } from './api/workspaces/connections/jobs/post.ts';
import { getJobs } from './api/workspaces/jobs/get.ts';
import { getJob } from './api/workspaces/jobs/get-one.ts';
import { postCancelJob } from './api/workspaces/jobs/cancel/post.ts';
import { getJobRecords } from './api/workspaces/jobs/records/get.ts';
import { postRecordPush } from './api/workspaces/records/push/post.ts';
import { getConflicts } from './api/workspaces/conflicts/get.ts';
import { getConflict } from './api/workspaces/conflicts/get-one.ts';
import { postResolveConflict } from './api/workspaces/conflicts/resolve/post.ts';
import type { AppDependencies } from './dependencies.ts';
import { authenticate } from './auth/authenticate.ts';
import { getHealthz } from './health/healthz.ts';
import { getReadyz } from './health/readyz.ts';
import { refuseUnsafeText } from './text-safety.ts';
import { resumeRequestContext } from './hardening/request-id.ts';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type HandlerFactory = (dependencies: AppDependencies) => RequestHandler;

const workspace = '/api/workspaces/:workspaceId';
const recordType = `${workspace}/record-types/:recordTypeKey`;
const record = `${workspace}/records/:recordId`;
const connection = `${workspace}/connections/:connectionId`;
const mappings = `${connection}/mappings`;
const job = `${workspace}/jobs/:jobId`;

/**
 * Every API route: all need `Authorization: Bearer`; the ones under a workspace also pass the
 * workspace access check. Tests walk this table to prove each one is protected.
 */
export const API_ROUTES: readonly [Method, string, HandlerFactory][] = [
  ['post', '/api/workspaces', (d) => postWorkspace(d.services)],
  ['get', '/api/workspaces', (d) => getWorkspaces(d.services)],
  ['get', workspace, (d) => getWorkspace(d.services)],
  ['get', `${workspace}/api-keys`, (d) => getApiKeys(d.services)],
  ['post', `${workspace}/api-keys`, (d) => postApiKey(d.services)],
  ['delete', `${workspace}/api-keys/:apiKeyId`, (d) => deleteApiKey(d.services)],
  ['get', `${workspace}/record-types`, (d) => getRecordTypes(d.services)],
  ['post', `${workspace}/record-types`, (d) => postRecordType(d.services)],
  ['get', recordType, (d) => getRecordType(d.services)],
  ['patch', recordType, (d) => patchRecordType(d.services)],
  ['delete', recordType, (d) => deleteRecordType(d.services)],
  ['get', `${recordType}/records`, (d) => getRecords(d.services)],
  ['post', `${recordType}/records`, (d) => postRecord(d.services)],
  ['get', record, (d) => getRecord(d.services)],
  ['patch', record, (d) => patchRecord(d.services)],
  ['delete', record, (d) => deleteRecord(d.services)],
  ['get', `${record}/links`, (d) => getRecordLinks(d.services)],
  ['post', `${record}/push`, (d) => postRecordPush(d.services)],
  ['get', `${workspace}/connections`, (d) => getConnections(d.services)],
  ['post', `${workspace}/connections`, (d) => postConnection(d.services)],
  ['get', connection, (d) => getConnection(d.services)],
  ['patch', connection, (d) => patchConnection(d.services)],
  ['delete', connection, (d) => deleteConnection(d.services)],
  ['post', `${connection}/reauthorize`, (d) => postReauthorize(d.services)],
  ['get', `${connection}/describe`, (d) => getGlobalDescribe(d.services)],
  ['get', `${connection}/describe/:objectName`, (d) => getObjectDescribe(d.services)],
  [
    'post',
    `${workspace}/record-types/from-salesforce-stages`,
    (d) => postPipelineFromStages(d.services),
  ],
  ['get', mappings, (d) => getMappings(d.services)],
  ['post', mappings, (d) => postMapping(d.services)],
  ['get', `${mappings}/defaults`, (d) => getDefaultMappings(d.services)],
  ['post', `${mappings}/defaults`, (d) => postDefaultMappings(d.services)],
  ['post', `${mappings}/validate`, (d) => postValidateDraft(d.services)],
  ['post', `${mappings}/preflight`, (d) => postPreflight(d.services)],
  ['get', `${mappings}/:mappingId`, (d) => getMapping(d.services)],
  ['patch', `${mappings}/:mappingId`, (d) => patchMapping(d.services)],
  ['delete', `${mappings}/:mappingId`, (d) => deleteMapping(d.services)],
  ['post', `${mappings}/:mappingId/validate`, (d) => postValidateMapping(d.services)],
  ['post', `${connection}/jobs`, (d) => postJob(d.services)],
  ['get', `${workspace}/jobs`, (d) => getJobs(d.services)],
  ['get', job, (d) => getJob(d.services)],
  ['post', `${job}/cancel`, (d) => postCancelJob(d.services)],
  ['get', `${job}/records`, (d) => getJobRecords(d.services)],
  ['get', `${workspace}/conflicts`, (d) => getConflicts(d.services)],
  ['get', `${workspace}/conflicts/:conflictId`, (d) => getConflict(d.services)],
  ['post', `${workspace}/conflicts/:conflictId/resolve`, (d) => postResolveConflict(d.services)],
];

/** Every route of the service, in one place. */
export function registerRoutes(app: Express, dependencies: AppDependencies): void {
  const { database, services } = dependencies;
  app.get('/healthz', getHealthz);
  app.get('/readyz', getReadyz(database));

  const api = Router();
  // Who is calling is settled before any body is read: an anonymous request never gets a
  // megabyte of JSON parsed (or inflated) on its behalf.
  api.use(authenticate(services.workspaces));
  api.use(express.json({ limit: '1mb' }));
  // Reading the body left the request's context (log lines name the request again).
  api.use(resumeRequestContext);
  api.use(refuseUnsafeText);
  api.param('workspaceId', workspaceAccess(services));
  for (const [method, path, handler] of API_ROUTES) {
    api[method](path.slice('/api'.length), handler(dependencies));
  }
  app.use('/api', api);

  // Browser legs of the web-server flow: the single-use state (and the browser's binding
  // cookie) authorise them, not a bearer token.
  app.get('/oauth/authorize', getAuthorize(dependencies.services, dependencies.secureCookies));
  app.get('/oauth/callback', getCallback(dependencies.services));
}
