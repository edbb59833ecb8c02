import { z } from 'zod';

/**
 * The admin actions on an org's access, as the API takes them. Ids are Salesforce record ids
 * (15 or 18 characters); bulk actions take up to 200 users and report per user.
 */

const id = z.string().regex(/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/, 'a Salesforce record id');
const users = z.array(id).min(1).max(200);
const apiName = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'letters, digits and underscores, starting with a letter')
  .refine(
    (name) => !name.includes('__') && !name.endsWith('_'),
    'no double or trailing underscore',
  );
const label = z.string().trim().min(1).max(80);

const action = <A extends string, S extends z.ZodRawShape>(name: A, shape: S) =>
  z.object({ action: z.literal(name), ...shape }).strict();

export const actionRequest = z.discriminatedUnion('action', [
  action('assign-permission-set', { permissionSetId: id, userIds: users }),
  action('remove-permission-set', { permissionSetId: id, userIds: users }),
  action('remove-assignments', { assignmentIds: z.array(id).min(1).max(200) }),
  action('create-permission-set', { name: apiName, label }),
  action('delete-permission-set', { permissionSetId: id }),
  action('assign-permission-set-group', { permissionSetGroupId: id, userIds: users }),
  action('remove-permission-set-group', { permissionSetGroupId: id, userIds: users }),
  action('create-permission-set-group', {
    developerName: apiName,
    label,
    permissionSetIds: z.array(id).max(100).default([]),
  }),
  action('delete-permission-set-group', { permissionSetGroupId: id }),
  action('assign-role', { roleId: id, userIds: users }),
  action('remove-role', { userIds: users }),
  action('create-role', {
    name: label,
    developerName: apiName,
    parentRoleId: id.nullable().default(null),
  }),
  action('delete-role', { roleId: id }),
  action('create-group', { name: label, developerName: apiName }),
  action('delete-group', { groupId: id }),
  action('add-group-members', { groupId: id, userIds: users }),
  action('remove-group-members', { groupId: id, userIds: users }),
  action('revoke-oauth-token', { tokenIds: z.array(id).min(1).max(200) }),
  action('assign-permission-set-licence', { permissionSetLicenseId: id, userIds: users }),
  action('remove-permission-set-licence', { permissionSetLicenseId: id, userIds: users }),
  action('assign-package-licence', { packageLicenseId: id, userIds: users }),
  action('remove-package-licence', { packageLicenseId: id, userIds: users }),
  action('deactivate-user', { userIds: users }),
  action('freeze-user', { userIds: users }),
  action('unfreeze-user', { userIds: users }),
  action('delete-user', { userIds: users }),
]);

export type ActionRequest = z.output<typeof actionRequest>;
export type ActionName = ActionRequest['action'];
