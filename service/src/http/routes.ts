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
import { ACCESS_ROUTES } from './api/workspaces/connections/access/access-routes.ts';
import { getAudit } from './api/workspaces/audit/get.ts';
import { deleteMember } from './api/workspaces/members/delete.ts';
import { getMembers } from './api/workspaces/members/get.ts';
import { patchMember } from './api/workspaces/members/patch.ts';
import { postMember } from './api/workspaces/members/post.ts';
import { deleteMemberToken } from './api/workspaces/members/tokens/delete.ts';
import { getMemberTokens } from './api/workspaces/members/tokens/get.ts';
import { postMemberToken } from './api/workspaces/members/tokens/post.ts';
import { postMemberSignInLink } from './api/workspaces/members/sign-in-links/post.ts';
import { putSensitiveAttributes } from './api/workspaces/record-types/sensitive-attributes/put.ts';
import { deleteSession } from './api/session/delete.ts';
import { getSession } from './api/session/get.ts';
import { postSignInLink } from './api/session/links/post.ts';
import { postSession } from './api/session/post.ts';
import { auditTrail } from './auth/audit-trail.ts';
import { authorize, isPermission, type RouteRule } from './auth/authorize.ts';
import { authenticate } from './auth/authenticate.ts';
import { getHealthz } from './health/healthz.ts';
import { getReadyz } from './health/readyz.ts';
import { refuseUnsafeText } from './text-safety.ts';
import { resumeRequestContext } from './hardening/request-id.ts';
import { getOpenApiDocument } from './contract/openapi-route.ts';
import { getEvents } from './api/workspaces/events/get.ts';
import { postSoql } from './api/workspaces/connections/soql/post.ts';
import { getRecordsExport } from './api/workspaces/record-types/records/export/get.ts';
import { postRecordsImport } from './api/workspaces/record-types/records/import/post.ts';
import { deleteWebhook } from './api/workspaces/webhooks/delete.ts';
import { getDelivery } from './api/workspaces/webhooks/deliveries/get-one.ts';
import { getDeliveries } from './api/workspaces/webhooks/deliveries/get.ts';
import { postRedeliver } from './api/workspaces/webhooks/deliveries/redeliver/post.ts';
import { getWebhook } from './api/workspaces/webhooks/get-one.ts';
import { getWebhooks } from './api/workspaces/webhooks/get.ts';
import { patchWebhook } from './api/workspaces/webhooks/patch.ts';
import { postWebhook } from './api/workspaces/webhooks/post.ts';
import { validatePathParams } from './contract/path-params.ts';
import { postOutboundEndpoint } from './api/workspaces/connections/outbound-messages/endpoint/post.ts';
import { outboundMessagesRouter } from './outbound-messages/post.ts';
import { getSalesforceHealth } from './api/salesforce/health/get.ts';
import { getSalesforceSetupStatus } from './api/salesforce/setup-status/get.ts';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type HandlerFactory = (dependencies: AppDependencies) => RequestHandler;
/** [method, path, the rule a caller must meet, the handler]. */
export type ApiRoute = readonly [Method, string, RouteRule, HandlerFactory];

const workspace = '/api/workspaces/:workspaceId';
const recordType = `${workspace}/record-types/:recordTypeKey`;
const record = `${workspace}/records/:recordId`;
const connection = `${workspace}/connections/:connectionId`;
const mappings = `${connection}/mappings`;
const job = `${workspace}/jobs/:jobId`;
const member = `${workspace}/members/:memberId`;
const webhook = `${workspace}/webhooks/:webhookId`;
const delivery = `${webhook}/deliveries/:deliveryId`;

/**
 * Every API route with the rule that admits a caller (see RouteRule in auth/authorize.ts): all
 * but `public` ones need `Authorization: Bearer` or the console's session cookie; the ones under
 * a workspace also pass the workspace access check, then the role check. Tests walk this table
 * (every route × every role), so a route without a rule fails them.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  ['post', '/api/workspaces', 'operator', (d) => postWorkspace(d.services)],
  ['get', '/api/workspaces', 'signed-in', (d) => getWorkspaces(d.services)],
  ['get', workspace, 'read', (d) => getWorkspace(d.services)],
  ['get', `${workspace}/api-keys`, 'integrations:manage', (d) => getApiKeys(d.services)],
  ['post', `${workspace}/api-keys`, 'integrations:manage', (d) => postApiKey(d.services)],
  [
    'delete',
    `${workspace}/api-keys/:apiKeyId`,
    'integrations:manage',
    (d) => deleteApiKey(d.services),
  ],
  ['get', `${workspace}/record-types`, 'read', (d) => getRecordTypes(d.services)],
  ['post', `${workspace}/record-types`, 'integrations:manage', (d) => postRecordType(d.services)],
  ['get', recordType, 'read', (d) => getRecordType(d.services)],
  ['patch', recordType, 'integrations:manage', (d) => patchRecordType(d.services)],
  ['delete', recordType, 'integrations:manage', (d) => deleteRecordType(d.services)],
  ['get', `${recordType}/records`, 'read', (d) => getRecords(d.services)],
  ['post', `${recordType}/records`, 'integrations:push', (d) => postRecord(d.services)],
  ['get', record, 'read', (d) => getRecord(d.services)],
  ['patch', record, 'integrations:push', (d) => patchRecord(d.services)],
  ['delete', record, 'integrations:push', (d) => deleteRecord(d.services)],
  ['get', `${record}/links`, 'read', (d) => getRecordLinks(d.services)],
  ['post', `${record}/push`, 'integrations:push', (d) => postRecordPush(d.services)],
  ['get', `${workspace}/connections`, 'read', (d) => getConnections(d.services)],
  ['post', `${workspace}/connections`, 'integrations:manage', (d) => postConnection(d.services)],
  ['get', connection, 'read', (d) => getConnection(d.services)],
  ['patch', connection, 'integrations:manage', (d) => patchConnection(d.services)],
  ['delete', connection, 'integrations:manage', (d) => deleteConnection(d.services)],
  ['post', `${connection}/reauthorize`, 'integrations:manage', (d) => postReauthorize(d.services)],
  ['get', `${connection}/describe`, 'read', (d) => getGlobalDescribe(d.services)],
  ['get', `${connection}/describe/:objectName`, 'read', (d) => getObjectDescribe(d.services)],
  [
    'post',
    `${workspace}/record-types/from-salesforce-stages`,
    'integrations:manage',
    (d) => postPipelineFromStages(d.services),
  ],
  ['get', mappings, 'read', (d) => getMappings(d.services)],
  ['post', mappings, 'integrations:manage', (d) => postMapping(d.services)],
  ['get', `${mappings}/defaults`, 'read', (d) => getDefaultMappings(d.services)],
  ['post', `${mappings}/defaults`, 'integrations:manage', (d) => postDefaultMappings(d.services)],
  ['post', `${mappings}/validate`, 'integrations:manage', (d) => postValidateDraft(d.services)],
  ['post', `${mappings}/preflight`, 'integrations:manage', (d) => postPreflight(d.services)],
  ['get', `${mappings}/:mappingId`, 'read', (d) => getMapping(d.services)],
  ['patch', `${mappings}/:mappingId`, 'integrations:manage', (d) => patchMapping(d.services)],
  ['delete', `${mappings}/:mappingId`, 'integrations:manage', (d) => deleteMapping(d.services)],
  [
    'post',
    `${mappings}/:mappingId/validate`,
    'integrations:manage',
    (d) => postValidateMapping(d.services),
  ],
  ['post', `${connection}/jobs`, 'integrations:manage', (d) => postJob(d.services)],
  ['get', `${workspace}/jobs`, 'read', (d) => getJobs(d.services)],
  ['get', job, 'read', (d) => getJob(d.services)],
  ['post', `${job}/cancel`, 'integrations:manage', (d) => postCancelJob(d.services)],
  ['get', `${job}/records`, 'read', (d) => getJobRecords(d.services)],
  ['get', `${workspace}/conflicts`, 'read', (d) => getConflicts(d.services)],
  ['get', `${workspace}/conflicts/:conflictId`, 'read', (d) => getConflict(d.services)],
  [
    'post',
    `${workspace}/conflicts/:conflictId/resolve`,
    'integrations:manage',
    (d) => postResolveConflict(d.services),
  ],
  [
    'put',
    `${recordType}/sensitive-attributes`,
    'integrations:manage',
    (d) => putSensitiveAttributes(d.services),
  ],
  ['get', `${workspace}/members`, 'integrations:manage', (d) => getMembers(d.services)],
  ['post', `${workspace}/members`, 'integrations:manage', (d) => postMember(d.services)],
  ['patch', member, 'integrations:manage', (d) => patchMember(d.services)],
  ['delete', member, 'integrations:manage', (d) => deleteMember(d.services)],
  ['get', `${member}/tokens`, 'integrations:manage', (d) => getMemberTokens(d.services)],
  ['post', `${member}/tokens`, 'integrations:manage', (d) => postMemberToken(d.services)],
  [
    'delete',
    `${member}/tokens/:tokenId`,
    'integrations:manage',
    (d) => deleteMemberToken(d.services),
  ],
  [
    'post',
    `${member}/sign-in-links`,
    'integrations:manage',
    (d) => postMemberSignInLink(d.services),
  ],
  ['get', `${workspace}/audit`, 'integrations:manage', (d) => getAudit(d.services)],
  ['post', '/api/session', 'public', (d) => postSession(d.services, d.secureCookies)],
  ['get', '/api/session', 'signed-in', () => getSession()],
  ['delete', '/api/session', 'signed-in', (d) => deleteSession(d.services, d.secureCookies)],
  ['post', '/api/session/links', 'operator', (d) => postSignInLink(d.services)],
  ['get', `${workspace}/webhooks`, 'integrations:manage', (d) => getWebhooks(d.services)],
  ['post', `${workspace}/webhooks`, 'integrations:manage', (d) => postWebhook(d.services)],
  ['get', webhook, 'integrations:manage', (d) => getWebhook(d.services)],
  ['patch', webhook, 'integrations:manage', (d) => patchWebhook(d.services)],
  ['delete', webhook, 'integrations:manage', (d) => deleteWebhook(d.services)],
  ['get', `${webhook}/deliveries`, 'integrations:manage', (d) => getDeliveries(d.services)],
  ['get', delivery, 'integrations:manage', (d) => getDelivery(d.services)],
  ['post', `${delivery}/redeliver`, 'integrations:manage', (d) => postRedeliver(d.services)],
  [
    'get',
    `${workspace}/events`,
    'read',
    (d) => getEvents(d.services, d.eventsHeartbeatMs ?? 15_000),
  ],
  ['post', `${connection}/soql`, 'integrations:manage', (d) => postSoql(d.services)],
  [
    'post',
    `${connection}/outbound-messages/endpoint`,
    'integrations:manage',
    (d) => postOutboundEndpoint(d.services),
  ],
  ['get', `${recordType}/records/export`, 'read', (d) => getRecordsExport(d.services)],
  [
    'post',
    `${recordType}/records/import`,
    'integrations:push',
    (d) => postRecordsImport(d.services),
  ],
  // The package's setup checklist, through the Pryzm_Service Named Credential: the key names the
  // workspace (any role may read), the handler scopes to it.
  ['get', '/api/salesforce/health', 'signed-in', () => getSalesforceHealth()],
  ['get', '/api/salesforce/setup-status', 'signed-in', (d) => getSalesforceSetupStatus(d.services)],
  ...ACCESS_ROUTES,
];

/** Every route of the service, in one place. */
export function registerRoutes(app: Express, dependencies: AppDependencies): void {
  const { database, services } = dependencies;
  app.get('/healthz', getHealthz);
  app.get('/readyz', getReadyz(database));

  const api = Router();
  // Public routes (exchanging a sign-in link) take a small body and no caller.
  for (const [method, path, rule, handler] of API_ROUTES) {
    if (rule !== 'public') continue;
    api[method](
      path.slice('/api'.length),
      express.json({ limit: '4kb' }),
      refuseUnsafeText,
      handler(dependencies),
    );
  }
  // Who is calling is settled before any body is read: an anonymous request never gets a
  // megabyte of JSON parsed (or inflated) on its behalf.
  api.use(authenticate(services.workspaces, services.consoleSessions));
  api.use(express.json({ limit: '1mb' }));
  // Reading the body left the request's context (log lines name the request again).
  api.use(resumeRequestContext);
  api.use(refuseUnsafeText);
  // Path parameters are checked for shape first (400), then the workspace for access (404).
  validatePathParams(api);
  api.param('workspaceId', workspaceAccess(services));
  for (const [method, path, rule, handler] of API_ROUTES) {
    if (rule === 'public') continue;
    if (isPermission(rule) && !path.includes(':workspaceId')) {
      throw new Error(`${method} ${path}: a workspace permission needs a workspace in the path`);
    }
    // Administrative writes go to the audit trail, denied attempts included.
    const audited =
      method !== 'get' && (rule === 'integrations:manage' || rule === 'operator')
        ? [auditTrail(services.audit, dependencies.logger, method, path)]
        : [];
    api[method](path.slice('/api'.length), ...audited, authorize(rule), handler(dependencies));
  }
  // The contract, public like any API reference; then every route under /api/v1 and, as
  // before, unversioned under /api.
  const openApi = getOpenApiDocument(API_ROUTES);
  app.get('/api/openapi.json', openApi);
  app.get('/api/v1/openapi.json', openApi);
  app.use('/api/v1', api);
  app.use('/api', (req, res, next) => (req.path.startsWith('/v1/') ? next() : api(req, res, next)));

  // Browser legs of the web-server flow: the single-use state (and the browser's binding
  // cookie) authorise them, not a bearer token.
  app.get('/oauth/authorize', getAuthorize(dependencies.services, dependencies.secureCookies));
  app.get('/oauth/callback', getCallback(dependencies.services));
  // Salesforce Outbound Messages: SOAP, authenticated by the secret in the URL, not a bearer.
  app.use(outboundMessagesRouter(dependencies.services));
}
