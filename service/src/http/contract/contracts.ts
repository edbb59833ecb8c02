import { postSoqlContract } from '../api/workspaces/connections/soql/post.ts';
import { postOutboundEndpointContract } from '../api/workspaces/connections/outbound-messages/endpoint/post.ts';
import { getRecordsExportContract } from '../api/workspaces/record-types/records/export/get.ts';
import { postRecordsImportContract } from '../api/workspaces/record-types/records/import/post.ts';
import { getEventsContract } from '../api/workspaces/events/get.ts';
import { deleteWebhookContract } from '../api/workspaces/webhooks/delete.ts';
import { getDeliveryContract } from '../api/workspaces/webhooks/deliveries/get-one.ts';
import { getDeliveriesContract } from '../api/workspaces/webhooks/deliveries/get.ts';
import { postRedeliverContract } from '../api/workspaces/webhooks/deliveries/redeliver/post.ts';
import { getWebhookContract } from '../api/workspaces/webhooks/get-one.ts';
import { getWebhooksContract } from '../api/workspaces/webhooks/get.ts';
import { patchWebhookContract } from '../api/workspaces/webhooks/patch.ts';
import { postWebhookContract } from '../api/workspaces/webhooks/post.ts';
import { deleteApiKeyContract } from '../api/workspaces/api-keys/delete.ts';
import { deleteConnectionContract } from '../api/workspaces/connections/delete.ts';
import { deleteMappingContract } from '../api/workspaces/connections/mappings/delete.ts';
import { deleteRecordContract } from '../api/workspaces/records/delete.ts';
import { deleteRecordTypeContract } from '../api/workspaces/record-types/delete.ts';
import { getApiKeysContract } from '../api/workspaces/api-keys/get.ts';
import { getConflictContract } from '../api/workspaces/conflicts/get-one.ts';
import { getConflictsContract } from '../api/workspaces/conflicts/get.ts';
import { getConnectionContract } from '../api/workspaces/connections/get-one.ts';
import { getConnectionsContract } from '../api/workspaces/connections/get.ts';
import { getDefaultMappingsContract } from '../api/workspaces/connections/mappings/defaults/get.ts';
import { getGlobalDescribeContract } from '../api/workspaces/connections/describe/get.ts';
import { getJobContract } from '../api/workspaces/jobs/get-one.ts';
import { getJobRecordsContract } from '../api/workspaces/jobs/records/get.ts';
import { getJobsContract } from '../api/workspaces/jobs/get.ts';
import { getMappingContract } from '../api/workspaces/connections/mappings/get-one.ts';
import { getMappingsContract } from '../api/workspaces/connections/mappings/get.ts';
import { getObjectDescribeContract } from '../api/workspaces/connections/describe/get-one.ts';
import { getRecordContract } from '../api/workspaces/records/get-one.ts';
import { getRecordLinksContract } from '../api/workspaces/records/links/get.ts';
import { getRecordTypeContract } from '../api/workspaces/record-types/get-one.ts';
import { getRecordTypesContract } from '../api/workspaces/record-types/get.ts';
import { getRecordsContract } from '../api/workspaces/record-types/records/get.ts';
import { getWorkspaceContract } from '../api/workspaces/get-one.ts';
import { getWorkspacesContract } from '../api/workspaces/get.ts';
import { patchConnectionContract } from '../api/workspaces/connections/patch.ts';
import { patchMappingContract } from '../api/workspaces/connections/mappings/patch.ts';
import { patchRecordContract } from '../api/workspaces/records/patch.ts';
import { patchRecordTypeContract } from '../api/workspaces/record-types/patch.ts';
import { postApiKeyContract } from '../api/workspaces/api-keys/post.ts';
import { postCancelJobContract } from '../api/workspaces/jobs/cancel/post.ts';
import { postConnectionContract } from '../api/workspaces/connections/post.ts';
import { postDefaultMappingsContract } from '../api/workspaces/connections/mappings/defaults/post.ts';
import { postJobContract } from '../api/workspaces/connections/jobs/post.ts';
import { postMappingContract } from '../api/workspaces/connections/mappings/post.ts';
import { postPipelineFromStagesContract } from '../api/workspaces/record-types/from-salesforce-stages/post.ts';
import { postPreflightContract } from '../api/workspaces/connections/mappings/preflight/post.ts';
import { postReauthorizeContract } from '../api/workspaces/connections/reauthorize/post.ts';
import { postRecordContract } from '../api/workspaces/record-types/records/post.ts';
import { postRecordPushContract } from '../api/workspaces/records/push/post.ts';
import { postRecordTypeContract } from '../api/workspaces/record-types/post.ts';
import { postResolveConflictContract } from '../api/workspaces/conflicts/resolve/post.ts';
import { postValidateDraftContract } from '../api/workspaces/connections/mappings/validate/post.ts';
import { postValidateMappingContract } from '../api/workspaces/connections/mappings/validate/post-one.ts';
import { postWorkspaceContract } from '../api/workspaces/post.ts';
import { ACCESS_CONTRACTS } from '../api/access-contracts.ts';
import { getSalesforceHealthContract } from '../api/salesforce/health/get.ts';
import { getSalesforceSetupStatusContract } from '../api/salesforce/setup-status/get.ts';
import { CONNECTION_ACCESS_CONTRACTS } from '../api/workspaces/connections/access/access-routes.ts';

/**
 * The contract of every route in API_ROUTES, keyed by `method path` as the table spells it. The
 * OpenAPI document and the typed test client read it; a test fails when a route has none.
 */
export const CONTRACTS = {
  'post /api/workspaces': postWorkspaceContract,
  'get /api/workspaces': getWorkspacesContract,
  'get /api/workspaces/:workspaceId': getWorkspaceContract,
  'get /api/workspaces/:workspaceId/api-keys': getApiKeysContract,
  'post /api/workspaces/:workspaceId/api-keys': postApiKeyContract,
  'delete /api/workspaces/:workspaceId/api-keys/:apiKeyId': deleteApiKeyContract,
  'get /api/workspaces/:workspaceId/record-types': getRecordTypesContract,
  'post /api/workspaces/:workspaceId/record-types': postRecordTypeContract,
  'get /api/workspaces/:workspaceId/record-types/:recordTypeKey': getRecordTypeContract,
  'patch /api/workspaces/:workspaceId/record-types/:recordTypeKey': patchRecordTypeContract,
  'delete /api/workspaces/:workspaceId/record-types/:recordTypeKey': deleteRecordTypeContract,
  'get /api/workspaces/:workspaceId/record-types/:recordTypeKey/records': getRecordsContract,
  'post /api/workspaces/:workspaceId/record-types/:recordTypeKey/records': postRecordContract,
  'get /api/workspaces/:workspaceId/records/:recordId': getRecordContract,
  'patch /api/workspaces/:workspaceId/records/:recordId': patchRecordContract,
  'delete /api/workspaces/:workspaceId/records/:recordId': deleteRecordContract,
  'get /api/workspaces/:workspaceId/records/:recordId/links': getRecordLinksContract,
  'post /api/workspaces/:workspaceId/records/:recordId/push': postRecordPushContract,
  'get /api/workspaces/:workspaceId/connections': getConnectionsContract,
  'post /api/workspaces/:workspaceId/connections': postConnectionContract,
  'get /api/workspaces/:workspaceId/connections/:connectionId': getConnectionContract,
  'patch /api/workspaces/:workspaceId/connections/:connectionId': patchConnectionContract,
  'delete /api/workspaces/:workspaceId/connections/:connectionId': deleteConnectionContract,
  'post /api/workspaces/:workspaceId/connections/:connectionId/reauthorize':
    postReauthorizeContract,
  'get /api/workspaces/:workspaceId/connections/:connectionId/describe': getGlobalDescribeContract,
  'get /api/workspaces/:workspaceId/connections/:connectionId/describe/:objectName':
    getObjectDescribeContract,
  'post /api/workspaces/:workspaceId/record-types/from-salesforce-stages':
    postPipelineFromStagesContract,
  'get /api/workspaces/:workspaceId/connections/:connectionId/mappings': getMappingsContract,
  'post /api/workspaces/:workspaceId/connections/:connectionId/mappings': postMappingContract,
  'get /api/workspaces/:workspaceId/connections/:connectionId/mappings/defaults':
    getDefaultMappingsContract,
  'post /api/workspaces/:workspaceId/connections/:connectionId/mappings/defaults':
    postDefaultMappingsContract,
  'post /api/workspaces/:workspaceId/connections/:connectionId/mappings/validate':
    postValidateDraftContract,
  'post /api/workspaces/:workspaceId/connections/:connectionId/mappings/preflight':
    postPreflightContract,
  'get /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId':
    getMappingContract,
  'patch /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId':
    patchMappingContract,
  'delete /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId':
    deleteMappingContract,
  'post /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId/validate':
    postValidateMappingContract,
  'post /api/workspaces/:workspaceId/connections/:connectionId/jobs': postJobContract,
  'get /api/workspaces/:workspaceId/jobs': getJobsContract,
  'get /api/workspaces/:workspaceId/jobs/:jobId': getJobContract,
  'post /api/workspaces/:workspaceId/jobs/:jobId/cancel': postCancelJobContract,
  'get /api/workspaces/:workspaceId/jobs/:jobId/records': getJobRecordsContract,
  'get /api/workspaces/:workspaceId/conflicts': getConflictsContract,
  'get /api/workspaces/:workspaceId/conflicts/:conflictId': getConflictContract,
  'post /api/workspaces/:workspaceId/conflicts/:conflictId/resolve': postResolveConflictContract,
  ...ACCESS_CONTRACTS,
  'get /api/workspaces/:workspaceId/webhooks': getWebhooksContract,
  'post /api/workspaces/:workspaceId/webhooks': postWebhookContract,
  'get /api/workspaces/:workspaceId/webhooks/:webhookId': getWebhookContract,
  'patch /api/workspaces/:workspaceId/webhooks/:webhookId': patchWebhookContract,
  'delete /api/workspaces/:workspaceId/webhooks/:webhookId': deleteWebhookContract,
  'get /api/workspaces/:workspaceId/webhooks/:webhookId/deliveries': getDeliveriesContract,
  'get /api/workspaces/:workspaceId/webhooks/:webhookId/deliveries/:deliveryId':
    getDeliveryContract,
  'post /api/workspaces/:workspaceId/webhooks/:webhookId/deliveries/:deliveryId/redeliver':
    postRedeliverContract,
  'get /api/workspaces/:workspaceId/events': getEventsContract,
  ...CONNECTION_ACCESS_CONTRACTS,
  'post /api/workspaces/:workspaceId/connections/:connectionId/soql': postSoqlContract,
  'post /api/workspaces/:workspaceId/connections/:connectionId/outbound-messages/endpoint':
    postOutboundEndpointContract,
  'get /api/workspaces/:workspaceId/record-types/:recordTypeKey/records/export':
    getRecordsExportContract,
  'post /api/workspaces/:workspaceId/record-types/:recordTypeKey/records/import':
    postRecordsImportContract,
  'get /api/salesforce/health': getSalesforceHealthContract,
  'get /api/salesforce/setup-status': getSalesforceSetupStatusContract,
} as const;

export type ContractKey = keyof typeof CONTRACTS;
