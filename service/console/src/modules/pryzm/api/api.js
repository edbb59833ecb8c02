/**
 * The console's one way to the service's API: the bearer token a person signed in with is kept
 * in sessionStorage (gone when the tab closes) and sent on every call. Errors come back as
 * ApiError with the API's `{ error: { code, message } }`.
 */
const TOKEN_KEY = 'pryzm.console.token';
const WORKSPACE_KEY = 'pryzm.console.workspace';
/**
 * A session from a one-time sign-in link lives in an HttpOnly cookie on /api; its CSRF token
 * (not a credential on its own) is kept here to send with every write.
 */
const CSRF_KEY = 'pryzm.console.csrf';

/** What each role may do, as the API grants it (Admin, Editor, Viewer; the operator: all). */
const ROLE_PERMISSIONS = {
  admin: ['read', 'integrations:push', 'integrations:manage'],
  editor: ['read', 'integrations:push'],
  viewer: ['read'],
};

let caller = null;

/** Who is signed in (`GET /api/session`), so pages show only the controls the role may use. */
export function setCaller(value) {
  caller = value;
}

export function can(permission) {
  if (!caller) return false;
  if (caller.kind === 'operator') return true;
  return (ROLE_PERMISSIONS[caller.role] || []).includes(permission);
}

/** The id of the API key or personal token this console signed in with (null otherwise). */
export function callerKeyId() {
  return caller?.kind === 'workspace' ? (caller.keyId ?? null) : null;
}

/** The member this console acts as (a personal token or a member's sign-in link), else null. */
export function callerMemberId() {
  return caller?.kind === 'workspace' ? (caller.memberId ?? null) : null;
}

/**
 * Whether revoking the key `keyId` ends this console's access: it is the key the console signed
 * in with, or one that key was minted from (revoking a key revokes every key minted below it).
 * `keys` are the workspace's keys and tokens with their `parentKeyId`.
 */
export function revokingSignsOut(keyId, keys) {
  const byId = new Map(keys.map((key) => [key.id, key]));
  const seen = new Set();
  for (let id = callerKeyId(); id && !seen.has(id); id = byId.get(id)?.parentKeyId) {
    if (id === keyId) return true;
    seen.add(id);
  }
  return false;
}

/**
 * Ends the console's sign-in after the person revoked what it signed in with: the shell shows
 * the sign-in page with `message` saying what happened.
 */
export function signOutWith(target, message) {
  target.dispatchEvent(
    new CustomEvent('pryzmsignedout', { detail: { message }, bubbles: true, composed: true }),
  );
}

export function callerRole() {
  if (!caller) return '';
  return caller.kind === 'operator'
    ? 'Operator'
    : caller.role.replace(/^./, (c) => c.toUpperCase());
}

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storedWorkspaceId() {
  return sessionStorage.getItem(WORKSPACE_KEY);
}

export function rememberSession(token, workspaceId) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  if (workspaceId) sessionStorage.setItem(WORKSPACE_KEY, workspaceId);
}

export function rememberCsrfToken(csrfToken) {
  sessionStorage.setItem(CSRF_KEY, csrfToken);
}

export function forgetSession() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(WORKSPACE_KEY);
  sessionStorage.removeItem(CSRF_KEY);
  caller = null;
}

/**
 * The session's CSRF token: the one remembered at sign-in, else the readable `pryzm_csrf`
 * cookie (set with Path=/ so this page sees it after a reload or in a new tab).
 */
function storedCsrfToken() {
  const remembered = sessionStorage.getItem(CSRF_KEY);
  if (remembered) return remembered;
  const cookie = document.cookie.split('; ').find((pair) => pair.startsWith('pryzm_csrf='));
  return cookie ? decodeURIComponent(cookie.slice('pryzm_csrf='.length)) : null;
}

/** Calls the API; answers the parsed JSON body (or null for 204). */
export async function request(path, { method = 'GET', body, token = storedToken() } = {}) {
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  // Without a token the session cookie speaks; writes then carry the CSRF token.
  else if (method !== 'GET' && storedCsrfToken()) headers['x-csrf-token'] = storedCsrfToken();
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (response.status === 204) return null;
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const error = parsed && parsed.error ? parsed.error : {};
    throw new ApiError(
      response.status,
      error.code || `http_${response.status}`,
      error.message || `The service answered ${response.status}`,
      error,
    );
  }
  return parsed;
}

/** `/workspaces/:id` followed by `rest`. */
export function workspacePath(workspaceId, rest = '') {
  return `/workspaces/${encodeURIComponent(workspaceId)}${rest}`;
}

/** Every page of a cursor-paged list, up to `max` items. */
export async function listAll(path, max = 500) {
  const items = [];
  let cursor;
  do {
    const separator = path.includes('?') ? '&' : '?';
    // Pages follow one another: each cursor comes from the previous page.
    // eslint-disable-next-line no-await-in-loop
    const page = await request(cursor ? `${path}${separator}cursor=${cursor}` : path);
    items.push(...(page.data || []));
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const numberFormat = new Intl.NumberFormat();

export function formatDate(value) {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : dateFormat.format(date);
}

export function formatNumber(value) {
  return value === null || value === undefined ? '—' : numberFormat.format(value);
}

/** "3 min 20 s" from seconds, for ETAs and durations. */
export function formatSeconds(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const rounded = Math.max(0, Math.round(seconds));
  if (rounded < 60) return `${rounded} s`;
  const minutes = Math.floor(rounded / 60);
  if (minutes < 60) return `${minutes} min ${rounded % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const STATUS_THEMES = {
  succeeded: 'slds-badge slds-theme_success',
  partially_succeeded: 'slds-badge slds-theme_warning',
  failed: 'slds-badge slds-theme_error',
  cancelled: 'slds-badge',
  queued: 'slds-badge slds-badge_lightest',
  running: 'slds-badge slds-badge_inverse',
  waiting_for_allowance: 'slds-badge slds-theme_warning',
};

export const FINISHED_JOB_STATUSES = ['succeeded', 'partially_succeeded', 'failed', 'cancelled'];

/** A job's status as people read it, with its SLDS badge. */
export function jobStatus(status) {
  return {
    label: (status || '').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
    className: STATUS_THEMES[status] || 'slds-badge',
  };
}

const KIND_LABELS = { pull: 'Pull', push: 'Push', sync: 'Sync now' };

export function jobKindLabel(job) {
  const kind = KIND_LABELS[job.kind] || job.kind;
  return job.kind === 'pull' && job.mode ? `${kind} (${job.mode})` : kind;
}

/** "created 12 · updated 3" from a counts object, leaving zeros out. */
export function countsText(counts) {
  const parts = Object.entries(counts || {})
    .filter(([, value]) => value)
    .map(([key, value]) => `${key} ${formatNumber(value)}`);
  return parts.length ? parts.join(' · ') : 'no changes';
}

/** A Pryzm value as text: references, lists and empty values included. */
export function valueText(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  if (typeof value === 'object')
    return value.label || value.name || value.id || JSON.stringify(value);
  return String(value);
}

/** The name a person knows a record by. */
export function recordName(record) {
  const values = record.values || {};
  return valueText(values.name || values.full_name || values.title || values.email || record.id);
}

/** The active connections of a workspace (for pages that act on one). */
export async function activeConnections(workspaceId) {
  const connections = await listAll(workspacePath(workspaceId, '/connections'));
  return connections.filter((connection) => connection.status === 'active');
}

/**
 * The options of a page's Connection select: each org by name (and, with `withUser`, the user it
 * is connected as), the page's current connection selected.
 */
export function connectionOptions(connections, selectedId, { withUser = false } = {}) {
  return connections.map((connection) => {
    const name = connection.orgName || connection.label;
    return {
      id: connection.id,
      label: withUser ? `${name} (${connection.username})` : name,
      selected: connection.id === selectedId,
    };
  });
}
