import { LightningElement, api } from 'lwc';
import { can, listAll, request, workspacePath } from 'pryzm/api';
import { showToast } from 'pryzm/toast';

const AUDIT_COLUMNS = [
  { label: 'When', className: 'pryzm-audit-when' },
  { label: 'Who', className: 'pryzm-audit-who' },
  { label: 'What' },
  { label: 'From', className: 'pryzm-audit-from' },
  { label: 'Outcome', className: 'pryzm-audit-outcome' },
];

const PAGE_SIZE = 50;

const OUTCOMES = [
  { value: '', label: 'Any outcome' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'failed', label: 'Failed' },
  { value: 'denied', label: 'Refused (401/403)' },
];

const OUTCOME_BADGES = {
  succeeded: 'slds-badge slds-theme_success',
  failed: 'slds-badge slds-theme_error',
  denied: 'slds-badge slds-theme_warning',
};

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/**
 * The audit log (Admins): every administrative action with who, what, when, from where and how it
 * ended, newest first, a page at a time (cursor paging); filtered by outcome and by the key,
 * personal token or console session that acted, as the API filters them.
 */
export default class Audit extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;

  events = [];
  nextCursor = null;
  loaded = false;
  loading = false;
  error = '';
  outcome = '';
  actorId = '';
  /** Key and token names by id, so "who" reads as a name. */
  keys = [];
  members = [];

  connectedCallback() {
    if (!this.canRead) return;
    this.loadNames();
    this.load();
  }

  /** The trail is read with integrations:manage (Admins). */
  get canRead() {
    return can('integrations:manage');
  }

  async loadNames() {
    try {
      [this.keys, this.members] = await Promise.all([
        listAll(workspacePath(this.workspaceId, '/api-keys')),
        listAll(workspacePath(this.workspaceId, '/members')),
      ]);
    } catch {
      // Names are a convenience: the trail still shows the ids.
    }
  }

  query(cursor) {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (this.outcome) params.set('outcome', this.outcome);
    if (this.actorId) params.set('actorId', this.actorId);
    if (cursor) params.set('cursor', cursor);
    return workspacePath(this.workspaceId, `/audit?${params}`);
  }

  async load() {
    this.loading = true;
    try {
      const page = await request(this.query());
      this.events = page.data;
      this.nextCursor = page.nextCursor;
      this.loaded = true;
      this.error = '';
    } catch (error) {
      this.error = error.message;
    } finally {
      this.loading = false;
    }
  }

  async loadOlder() {
    this.loading = true;
    try {
      const page = await request(this.query(this.nextCursor));
      this.events = [...this.events, ...page.data];
      this.nextCursor = page.nextCursor;
    } catch (error) {
      showToast(this, { title: 'Could not load more', message: error.message, variant: 'error' });
    } finally {
      this.loading = false;
    }
  }

  handleOutcome(event) {
    this.outcome = event.target.value;
    this.load();
  }

  handleActor(event) {
    this.actorId = event.target.value;
    this.load();
  }

  get outcomeOptions() {
    return OUTCOMES.map((option) => ({ ...option, selected: option.value === this.outcome }));
  }

  /** Every key and personal token, by name, to filter on what one of them did. */
  get actorOptions() {
    const options = [{ value: '', label: 'Anyone', selected: !this.actorId }];
    for (const key of this.keys) {
      options.push({ value: key.id, label: this.keyName(key), selected: key.id === this.actorId });
    }
    return options;
  }

  keyName(key) {
    if (!key.memberId) return `API key “${key.name}”`;
    const member = this.members.find((m) => m.id === key.memberId);
    return `${member ? member.name : 'A member'}’s token “${key.name}”`;
  }

  who(actor) {
    if (actor.kind === 'operator') return { name: 'Operator', via: 'admin token' };
    if (actor.kind === 'console_session') return { name: 'Operator', via: 'console session' };
    const key = this.keys.find((k) => k.id === actor.id);
    return {
      name: key ? this.keyName(key) : 'A deleted key or token',
      via: key ? `${key.prefix}…` : String(actor.id).slice(0, 8),
    };
  }

  /** What the call created, unless the target already names it. */
  detail(event) {
    if (!event.detail) return '';
    const { id, ...rest } = event.detail;
    const parts = Object.entries(rest).map(([key, value]) => `${key}: ${value}`);
    if (id && !(event.target || '').includes(String(id))) parts.unshift(`created ${id}`);
    return parts.join(' · ');
  }

  /** The target without this workspace's own prefix, which every row would repeat. */
  target(target) {
    if (!target) return '';
    const prefix = new RegExp(`^/api(?:/v1)?/workspaces/${this.workspaceId}`);
    return target.replace(prefix, '') || '/';
  }

  get columns() {
    return AUDIT_COLUMNS;
  }

  get rows() {
    return this.events.map((event) => {
      const who = this.who(event.actor);
      return {
        ...event,
        whenDate: dateFormat.format(new Date(event.at)),
        whenTime: timeFormat.format(new Date(event.at)),
        whenIso: event.at,
        whoName: who.name,
        whoVia: who.via,
        targetText: this.target(event.target),
        actorTitle: event.actor.id || event.actor.kind,
        outcomeLabel: OUTCOMES.find((o) => o.value === event.outcome)?.label || event.outcome,
        outcomeClass: OUTCOME_BADGES[event.outcome] || 'slds-badge',
        statusText: event.status ? `HTTP ${event.status}` : '',
        from: event.ip || '—',
        detailText: this.detail(event),
      };
    });
  }

  get isEmpty() {
    return this.loaded && this.events.length === 0;
  }

  get isFiltered() {
    return Boolean(this.outcome || this.actorId);
  }

  get emptyMessage() {
    return this.isFiltered
      ? 'No action matches these filters.'
      : 'Administrative actions (connections, mappings, jobs, keys, members, webhooks) appear here as they happen.';
  }

  get hasMore() {
    return Boolean(this.nextCursor);
  }

  get shownText() {
    return `${this.events.length} action${this.events.length === 1 ? '' : 's'} shown, newest first${this.hasMore ? '' : ', all loaded'}`;
  }
}
