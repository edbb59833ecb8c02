import type { SalesforceClient } from '../../salesforce/client.ts';
import { deleteRecords, updateRecords, type SaveResult } from '../../salesforce/collections.ts';
import { restQuery } from '../../salesforce/rest-query.ts';
import type { ActionRequest } from './action-requests.ts';
import { createRecords, deleteOne, idList } from './salesforce-writes.ts';

/**
 * Admin actions on an org's access, in two steps: a plan (the records to create, update or
 * delete, found with read-only queries where the action names users rather than records), then
 * its execution through sObject Collections, 200 records a call, each record on its own so a
 * bulk action reports per user. A dry run stops after the plan.
 *
 * What Salesforce refuses comes back as its own error code per record: DUPLICATE_VALUE for an
 * assignment a user already has, LICENSE_LIMIT_EXCEEDED for a licence with no seat left,
 * DELETE_FAILED for a role users still hold (Object Reference: PermissionSetAssignment,
 * PermissionSetLicenseAssign, UserPackageLicense, UserRole). Users are never deleted
 * ("You can't delete users, but you can deactivate them", Salesforce Help: Deactivate Users):
 * that request is refused before anything is sent, and deactivation is offered instead.
 */

export type Step =
  | { op: 'create'; object: string; fields: Record<string, unknown>; userId: string | null }
  | {
      op: 'update';
      object: string;
      id: string;
      fields: Record<string, unknown>;
      userId: string | null;
    }
  | { op: 'delete'; object: string; id: string; userId: string | null }
  | { op: 'skip'; object: string; userId: string | null; reason: string };

export interface StepResult {
  op: Step['op'];
  object: string;
  userId: string | null;
  /** The record acted on (the new one for a create). */
  salesforceId: string | null;
  status: 'planned' | 'succeeded' | 'failed' | 'skipped' | 'refused';
  /** Salesforce's own refusal (`DUPLICATE_VALUE`, `LICENSE_LIMIT_EXCEEDED`, `DELETE_FAILED`...). */
  error: { code: string; message: string } | null;
  fields?: Record<string, unknown>;
  reason?: string;
}

/** A user-level delete request: refused with Salesforce's reason, and what to do instead. */
export const USERS_CANNOT_BE_DELETED =
  "Salesforce does not delete users: deactivate them instead. A deactivated user keeps the records they own and frees their licence (Salesforce Help, 'Deactivate Users').";

async function existing(
  client: SalesforceClient,
  object: string,
  holderField: string,
  where: string,
  userIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const soql = `SELECT Id, ${holderField} FROM ${object} WHERE ${where} AND ${holderField} IN (${idList(userIds)})`;
  for await (const page of restQuery<Record<string, string>>(client, soql)) {
    for (const row of page) out.set(row[holderField]!.slice(0, 15), row['Id']!);
  }
  return out;
}

/** Deletes of the holders' rows; users without one are skipped with a reason. */
async function removals(
  client: SalesforceClient,
  object: string,
  holderField: string,
  where: string,
  userIds: readonly string[],
  missing: string,
): Promise<Step[]> {
  const rows = await existing(client, object, holderField, where, userIds);
  return userIds.map((userId) => {
    const id = rows.get(userId.slice(0, 15));
    return id
      ? { op: 'delete', object, id, userId }
      : { op: 'skip', object, userId, reason: missing };
  });
}

const perUser = (
  object: string,
  userIds: readonly string[],
  fields: (userId: string) => Record<string, unknown>,
): Step[] => userIds.map((userId) => ({ op: 'create', object, fields: fields(userId), userId }));

const updates = (
  object: string,
  userIds: readonly string[],
  fields: Record<string, unknown>,
): Step[] => userIds.map((userId) => ({ op: 'update', object, id: userId, fields, userId }));

/** The records an action would change; reads only. Answers null for `delete-user` (refused). */
export async function planAction(
  client: SalesforceClient,
  request: ActionRequest,
): Promise<Step[] | null> {
  switch (request.action) {
    case 'assign-permission-set':
      return perUser('PermissionSetAssignment', request.userIds, (AssigneeId) => ({
        AssigneeId,
        PermissionSetId: request.permissionSetId,
      }));
    case 'remove-permission-set':
      return removals(
        client,
        'PermissionSetAssignment',
        'AssigneeId',
        `PermissionSetId = ${idList([request.permissionSetId])} AND PermissionSetGroupId = null`,
        request.userIds,
        'The user does not hold this permission set',
      );
    case 'remove-assignments':
      return request.assignmentIds.map((id) => ({
        op: 'delete',
        object: 'PermissionSetAssignment',
        id,
        userId: null,
      }));
    case 'create-permission-set':
      return [
        {
          op: 'create',
          object: 'PermissionSet',
          fields: { Name: request.name, Label: request.label },
          userId: null,
        },
      ];
    case 'delete-permission-set':
      return [{ op: 'delete', object: 'PermissionSet', id: request.permissionSetId, userId: null }];
    case 'assign-permission-set-group':
      return perUser('PermissionSetAssignment', request.userIds, (AssigneeId) => ({
        AssigneeId,
        PermissionSetGroupId: request.permissionSetGroupId,
      }));
    case 'remove-permission-set-group':
      return removals(
        client,
        'PermissionSetAssignment',
        'AssigneeId',
        `PermissionSetGroupId = ${idList([request.permissionSetGroupId])}`,
        request.userIds,
        'The user does not hold this permission set group',
      );
    case 'create-permission-set-group':
      return [
        {
          op: 'create',
          object: 'PermissionSetGroup',
          fields: { DeveloperName: request.developerName, MasterLabel: request.label },
          userId: null,
        },
        ...request.permissionSetIds.map((PermissionSetId): Step => ({
          op: 'create',
          object: 'PermissionSetGroupComponent',
          fields: { PermissionSetId },
          userId: null,
        })),
      ];
    case 'delete-permission-set-group':
      return [
        {
          op: 'delete',
          object: 'PermissionSetGroup',
          id: request.permissionSetGroupId,
          userId: null,
        },
      ];
    case 'assign-role':
      return updates('User', request.userIds, { UserRoleId: request.roleId });
    case 'remove-role':
      return updates('User', request.userIds, { UserRoleId: null });
    case 'create-role':
      return [
        {
          op: 'create',
          object: 'UserRole',
          // Account owners' access to the role's opportunities is required when the org's
          // sharing default for opportunities is private; 'None' grants nothing extra.
          fields: {
            Name: request.name,
            DeveloperName: request.developerName,
            ParentRoleId: request.parentRoleId,
            OpportunityAccessForAccountOwner: 'None',
          },
          userId: null,
        },
      ];
    case 'delete-role':
      return [{ op: 'delete', object: 'UserRole', id: request.roleId, userId: null }];
    case 'create-group':
      return [
        {
          op: 'create',
          object: 'Group',
          fields: { Name: request.name, DeveloperName: request.developerName, Type: 'Regular' },
          userId: null,
        },
      ];
    case 'delete-group':
      return [{ op: 'delete', object: 'Group', id: request.groupId, userId: null }];
    case 'add-group-members':
      return perUser('GroupMember', request.userIds, (UserOrGroupId) => ({
        GroupId: request.groupId,
        UserOrGroupId,
      }));
    case 'remove-group-members':
      return removals(
        client,
        'GroupMember',
        'UserOrGroupId',
        `GroupId = ${idList([request.groupId])}`,
        request.userIds,
        'The user is not a member of this group',
      );
    case 'revoke-oauth-token':
      // Revoking is deleting the OauthToken row (Object Reference, OauthToken: delete()).
      return request.tokenIds.map((id) => ({
        op: 'delete',
        object: 'OauthToken',
        id,
        userId: null,
      }));
    case 'assign-permission-set-licence':
      return perUser('PermissionSetLicenseAssign', request.userIds, (AssigneeId) => ({
        AssigneeId,
        PermissionSetLicenseId: request.permissionSetLicenseId,
      }));
    case 'remove-permission-set-licence':
      return removals(
        client,
        'PermissionSetLicenseAssign',
        'AssigneeId',
        `PermissionSetLicenseId = ${idList([request.permissionSetLicenseId])}`,
        request.userIds,
        'The user does not hold this permission set licence',
      );
    case 'assign-package-licence':
      return perUser('UserPackageLicense', request.userIds, (UserId) => ({
        UserId,
        PackageLicenseId: request.packageLicenseId,
      }));
    case 'remove-package-licence':
      return removals(
        client,
        'UserPackageLicense',
        'UserId',
        `PackageLicenseId = ${idList([request.packageLicenseId])}`,
        request.userIds,
        'The user does not hold this package licence',
      );
    case 'deactivate-user':
      return updates('User', request.userIds, { IsActive: false });
    case 'freeze-user':
    case 'unfreeze-user': {
      // Freezing is UserLogin.IsFrozen (Object Reference, UserLogin), one row per user.
      const logins = await existing(client, 'UserLogin', 'UserId', 'Id != null', request.userIds);
      return request.userIds.map((userId): Step => {
        const id = logins.get(userId.slice(0, 15));
        return id
          ? {
              op: 'update',
              object: 'UserLogin',
              id,
              fields: { IsFrozen: request.action === 'freeze-user' },
              userId,
            }
          : { op: 'skip', object: 'UserLogin', userId, reason: 'No such user' };
      });
    }
    case 'delete-user':
      return null;
  }
}

function describe(step: Step, status: StepResult['status'], result?: SaveResult): StepResult {
  const error = result && !result.success ? result.errors[0] : undefined;
  return {
    op: step.op,
    object: step.object,
    userId: step.userId,
    salesforceId: result?.id ?? ('id' in step ? step.id : null),
    status: error ? 'failed' : status,
    error: error
      ? { code: error.statusCode, message: error.message }
      : result && !result.success
        ? { code: 'UNKNOWN_EXCEPTION', message: 'Salesforce gave no reason' }
        : null,
    ...('fields' in step ? { fields: step.fields } : {}),
    ...(step.op === 'skip' ? { reason: step.reason } : {}),
  };
}

export function previewSteps(steps: readonly Step[]): StepResult[] {
  return steps.map((step) => describe(step, step.op === 'skip' ? 'skipped' : 'planned'));
}

/**
 * Sends the plan: creates, updates and deletes of one object together, 200 a call. A permission
 * set group is created before its components, and deleted again if they cannot all be added, so
 * the org is never left with half of it.
 */
export async function executeSteps(
  client: SalesforceClient,
  steps: readonly Step[],
): Promise<StepResult[]> {
  const results: StepResult[] = new Array(steps.length);
  const group = steps.findIndex((s) => s.op === 'create' && s.object === 'PermissionSetGroup');
  if (group >= 0) return executeGroupWithComponents(client, steps, group);
  const batches = new Map<string, number[]>();
  steps.forEach((step, index) => {
    if (step.op === 'skip') {
      results[index] = describe(step, 'skipped');
      return;
    }
    const key = `${step.op}:${step.object}`;
    batches.set(key, [...(batches.get(key) ?? []), index]);
  });
  for (const [key, indexes] of batches) {
    const [op, object] = key.split(':') as [Step['op'], string];
    const batch = indexes.map((i) => steps[i]!);
    let saved: SaveResult[];
    if (op === 'create') {
      saved = await createRecords(
        client,
        object,
        batch.map((s) => (s as Extract<Step, { op: 'create' }>).fields),
      );
    } else if (op === 'update') {
      saved = await updateRecords(
        client,
        batch.map((s) => {
          const update = s as Extract<Step, { op: 'update' }>;
          return { ...update.fields, Id: update.id, attributes: { type: object } };
        }),
      );
    } else {
      saved = await deleteRecords(
        client,
        batch.map((s) => (s as Extract<Step, { op: 'delete' }>).id),
      );
    }
    indexes.forEach((index, position) => {
      results[index] = describe(steps[index]!, 'succeeded', saved[position]);
    });
  }
  return results;
}

async function executeGroupWithComponents(
  client: SalesforceClient,
  steps: readonly Step[],
  groupIndex: number,
): Promise<StepResult[]> {
  const groupStep = steps[groupIndex] as Extract<Step, { op: 'create' }>;
  const [created] = await createRecords(client, 'PermissionSetGroup', [groupStep.fields]);
  const groupResult = describe(groupStep, 'succeeded', created);
  const components = steps.filter((_, i) => i !== groupIndex) as Extract<Step, { op: 'create' }>[];
  if (!created?.success || !created.id || components.length === 0) {
    return [groupResult, ...components.map((c) => describe(c, 'skipped'))];
  }
  const saved = await createRecords(
    client,
    'PermissionSetGroupComponent',
    components.map((c) => ({ ...c.fields, PermissionSetGroupId: created.id })),
    true,
  );
  const componentResults = components.map((c, i) => describe(c, 'succeeded', saved[i]));
  if (componentResults.every((r) => r.status === 'succeeded'))
    return [groupResult, ...componentResults];
  // One component was refused: none was added (allOrNone); take the group back out too.
  await deleteOne(client, 'PermissionSetGroup', created.id);
  return [
    {
      ...groupResult,
      status: 'failed',
      error: componentResults.find((r) => r.error)?.error ?? null,
    },
    ...componentResults,
  ];
}

/** succeeded | partially_succeeded | failed, from the records that were sent. */
export function overallStatus(
  results: readonly StepResult[],
): 'succeeded' | 'partially_succeeded' | 'failed' {
  const sent = results.filter((r) => r.status === 'succeeded' || r.status === 'failed');
  const failed = sent.filter((r) => r.status === 'failed').length;
  if (failed === 0) return 'succeeded';
  return failed === sent.length ? 'failed' : 'partially_succeeded';
}
