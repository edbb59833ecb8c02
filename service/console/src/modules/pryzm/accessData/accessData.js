import { ApiError, storedToken, workspacePath } from 'pryzm/api';

/**
 * What the Access pages share: the API paths of a connection's access governance, how actions
 * and findings read, and CSV downloads.
 */

/** `…/connections/:id/access` followed by `rest`. */
export function accessPath(workspaceId, connectionId, rest = '') {
  return workspacePath(
    workspaceId,
    `/connections/${encodeURIComponent(connectionId)}/access${rest}`,
  );
}

/**
 * The objects one pull reads (README, "What a pull reads"): the 16 lists and LoginHistory.
 * A running pull lists each object as it finishes, so the share read shows its progress.
 */
export const PULL_OBJECT_COUNT = 17;

export const ACTION_LABELS = {
  'assign-permission-set': 'Assign permission set',
  'remove-permission-set': 'Remove permission set',
  'remove-assignments': 'Remove assignments',
  'create-permission-set': 'Create permission set',
  'delete-permission-set': 'Delete permission set',
  'assign-permission-set-group': 'Assign permission set group',
  'remove-permission-set-group': 'Remove permission set group',
  'create-permission-set-group': 'Create permission set group',
  'delete-permission-set-group': 'Delete permission set group',
  'assign-role': 'Assign role',
  'remove-role': 'Remove role',
  'create-role': 'Create role',
  'delete-role': 'Delete role',
  'create-group': 'Create public group',
  'delete-group': 'Delete public group',
  'add-group-members': 'Add group members',
  'remove-group-members': 'Remove group members',
  'revoke-oauth-token': 'Revoke OAuth token',
  'assign-permission-set-licence': 'Assign permission set licence',
  'remove-permission-set-licence': 'Remove permission set licence',
  'assign-package-licence': 'Assign package licence',
  'remove-package-licence': 'Remove package licence',
  'deactivate-user': 'Deactivate user',
  'freeze-user': 'Freeze user',
  'unfreeze-user': 'Unfreeze user',
  'delete-user': 'Delete user',
};

export function actionLabel(action) {
  return ACTION_LABELS[action] || action;
}

export const FINDING_LABELS = {
  inactive_paid_user: 'Inactive user on a paid licence',
  frozen_active_user: 'Frozen but active user',
  licence_near_limit: 'Licence near its limit',
  admin_permission: 'Admin permission (Modify or View All Data)',
  assigned_to_inactive_user: 'Access left on an inactive user',
  unused_oauth_token: 'Unused OAuth token',
  user_without_role: 'User without a role',
};

export function findingLabel(kind) {
  return FINDING_LABELS[kind] || kind.replace(/_/g, ' ');
}

const ACTION_THEMES = {
  previewed: 'slds-badge slds-badge_lightest',
  planned: 'slds-badge slds-badge_lightest',
  succeeded: 'slds-badge slds-theme_success',
  partially_succeeded: 'slds-badge slds-theme_warning',
  skipped: 'slds-badge',
  failed: 'slds-badge slds-theme_error',
  refused: 'slds-badge slds-theme_error',
  queued: 'slds-badge slds-badge_lightest',
  running: 'slds-badge slds-badge_inverse',
};

/** A status as people read it, with its SLDS badge. */
export function statusBadge(status) {
  return {
    label: (status || '').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
    className: ACTION_THEMES[status] || 'slds-badge',
  };
}

/** `{ used, total, percent, style }` of a licence row, whichever object it is. */
export function seats(row) {
  const fields = row.fields || {};
  const total = Number(fields.TotalLicenses ?? fields.AllowedLicenses);
  const used = Number(fields.UsedLicenses);
  if (!Number.isFinite(total) || !Number.isFinite(used) || total <= 0) {
    return {
      used: Number.isFinite(used) ? used : null,
      total: null,
      percent: 0,
      style: 'width: 0%',
    };
  }
  const percent = Math.min(100, Math.round((used / total) * 100));
  return { used, total, percent, style: `width: ${percent}%` };
}

/**
 * Downloads a CSV export. A plain link would carry no bearer token, so the file is fetched with
 * the caller's credentials and handed to the browser as a download.
 */
export async function downloadCsv(path, filename) {
  const token = storedToken();
  const response = await fetch(`/api${path}`, {
    headers: token
      ? { accept: 'text/csv', authorization: `Bearer ${token}` }
      : { accept: 'text/csv' },
    credentials: 'same-origin',
  });
  if (!response.ok) {
    throw new ApiError(
      response.status,
      `http_${response.status}`,
      `The export answered ${response.status}`,
    );
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled.
  // eslint-disable-next-line @lwc/lwc/no-async-operation
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
