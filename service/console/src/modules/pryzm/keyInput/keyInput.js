/**
 * What the key, member and token forms share: the three roles as the API names them, and the
 * expiry choices turned into the `expiresAt` instant the API takes (ISO 8601 with an offset).
 */
import { formatDate } from 'pryzm/api';

export const ROLE_OPTIONS = [
  { value: 'admin', label: 'Admin', help: 'Everything, including connections, keys and members' },
  { value: 'editor', label: 'Editor', help: 'Reads, writes records and pushes them to Salesforce' },
  { value: 'viewer', label: 'Viewer', help: 'Reads only' },
];

export function roleLabel(role) {
  return ROLE_OPTIONS.find((option) => option.value === role)?.label || role || '—';
}

/** The role's badge: Admin stands out, Viewer is quiet. */
export function roleBadgeClass(role) {
  if (role === 'admin') return 'slds-badge slds-badge_inverse';
  if (role === 'editor') return 'slds-badge';
  return 'slds-badge slds-badge_lightest';
}

export const EXPIRY_OPTIONS = [
  { value: 'never', label: 'Never' },
  { value: '7', label: 'In 7 days' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
  { value: 'date', label: 'On a date…' },
];

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `expiresAt` for a choice (and the date typed when the choice is `date`): undefined for
 * "Never", the end of the chosen day in the browser's time zone for a date.
 */
export function expiresAtFor(choice, date) {
  if (!choice || choice === 'never') return undefined;
  if (choice === 'date') {
    if (!date) return undefined;
    const end = new Date(`${date}T23:59:59`);
    return Number.isNaN(end.getTime()) ? undefined : end.toISOString();
  }
  return new Date(Date.now() + Number(choice) * DAY_MS).toISOString();
}

/** Tomorrow as `YYYY-MM-DD`, the earliest date an expiry may be set to. */
export function tomorrow() {
  const next = new Date(Date.now() + DAY_MS);
  const pad = (n) => String(n).padStart(2, '0');
  return `${next.getFullYear()}-${pad(next.getMonth() + 1)}-${pad(next.getDate())}`;
}

/** A key's or token's state as people read it, with its badge. */
export function keyState(key) {
  if (key.revokedAt) {
    return {
      label: `Revoked ${formatDate(key.revokedAt)}`,
      className: 'slds-badge',
      active: false,
    };
  }
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= Date.now()) {
    return {
      label: `Expired ${formatDate(key.expiresAt)}`,
      className: 'slds-badge',
      active: false,
    };
  }
  return { label: 'Active', className: 'slds-badge slds-theme_success', active: true };
}

/** Keys and tokens that still work first, each group newest first. */
export function byStateThenNewest(keys) {
  return [...keys].sort((a, b) => {
    const active = Number(keyState(b).active) - Number(keyState(a).active);
    return active || Date.parse(b.createdAt) - Date.parse(a.createdAt);
  });
}
