import { LightningElement, api } from 'lwc';
import {
  activeConnections,
  can,
  connectionOptions,
  formatDate,
  formatNumber,
  listAll,
  request,
} from 'pryzm/api';
import {
  PULL_OBJECT_COUNT,
  accessPath,
  actionLabel,
  downloadCsv,
  findingLabel,
  seats,
  statusBadge,
} from 'pryzm/accessData';
import { showToast } from 'pryzm/toast';

const ACTION_COLUMNS = [
  { label: 'Action' },
  { label: 'Kind' },
  { label: 'Status' },
  { label: 'When' },
  { label: 'By' },
  { label: 'Records' },
  { label: 'API calls' },
];

const LICENCE_COLUMNS = [
  { label: 'Licence' },
  { label: 'Kind' },
  { label: 'Seats used' },
  { label: 'Share', className: 'pryzm-seat-bar-column' },
];

const OBJECT_COLUMNS = [
  { label: 'Object' },
  { label: 'Read with' },
  { label: 'Rows' },
  { label: 'API calls' },
];

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'users', label: 'Users' },
  { id: 'findings', label: 'Findings' },
  { id: 'actions', label: 'Actions' },
  { id: 'settings', label: 'Settings' },
];

/** A running pull is read again this often (access pulls publish no workspace events). */
const PULL_POLL_MS = 700;

const LICENCE_LISTS = [
  { list: 'user-licences', label: 'User licence' },
  { list: 'permission-set-licences', label: 'Permission set licence' },
  { list: 'package-licences', label: 'Package licence' },
];

/** The thresholds and interval an Admin sets, with the bounds the API accepts. */
const SETTING_FIELDS = [
  {
    name: 'inactiveDays',
    id: 'access-inactive-days',
    label: 'Days without a login before a paid user is reported',
    min: 1,
    max: 3650,
  },
  {
    name: 'tokenUnusedDays',
    id: 'access-token-days',
    label: 'Days without use before an OAuth token is reported',
    min: 1,
    max: 3650,
  },
  {
    name: 'licenceUsagePercent',
    id: 'access-licence-percent',
    label: 'Seats used (%) at which a licence is reported',
    min: 1,
    max: 100,
  },
  {
    name: 'pullIntervalHours',
    id: 'access-interval',
    label: 'Hours between scheduled pulls (0: only on demand)',
    min: 0,
    max: 720,
  },
];
const SETTINGS = SETTING_FIELDS.map((field) => field.name);

/**
 * Access: who holds which Salesforce licence and permission in a connected org, read by an
 * access pull; the findings it raised and the actions that fix them, each previewed (dry run)
 * and confirmed; the actions taken; thresholds and the pull interval. Tabs are addressable
 * (#/access/users). Every access route needs the Admin role, so other roles see why instead.
 */
export default class Access extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;
  @api tab;

  connections = [];
  connectionId = null;
  loaded = false;
  pull = null;
  licences = [];
  /** Findings of the last pull per kind, for the overview. */
  findingCounts = {};
  actions = [];
  settings = null;
  settingsDraft = null;
  pendingAction = null;
  busy = false;
  timer = null;

  async connectedCallback() {
    if (!this.canManage) {
      this.loaded = true;
      return;
    }
    try {
      this.connections = await activeConnections(this.workspaceId);
      this.connectionId = this.connections[0]?.id ?? null;
      await this.load();
    } catch (error) {
      showToast(this, { title: 'Could not load access', message: error.message, variant: 'error' });
    } finally {
      this.loaded = true;
    }
  }

  disconnectedCallback() {
    clearTimeout(this.timer);
  }

  path(rest) {
    return accessPath(this.workspaceId, this.connectionId, rest);
  }

  async load() {
    clearTimeout(this.timer);
    if (!this.connectionId) return;
    const [pulls, settings] = await Promise.all([
      request(this.path('/pulls?limit=1')),
      request(this.path('/settings')),
    ]);
    this.pull = pulls.data[0] || null;
    this.settings = settings;
    this.settingsDraft = { ...settings };
    await Promise.all([this.loadLicences(), this.loadActions(), this.loadFindingCounts()]);
    this.followPull();
  }

  async loadLicences() {
    const lists = await Promise.all(
      LICENCE_LISTS.map(({ list }) => request(this.path(`/lists/${list}?limit=100`))),
    );
    this.licences = lists.flatMap((page, index) =>
      page.data.map((row) => ({ ...row, kindLabel: LICENCE_LISTS[index].label })),
    );
  }

  async loadFindingCounts() {
    const findings = await listAll(this.path('/findings?limit=500'), 5000);
    const counts = {};
    for (const finding of findings) counts[finding.kind] = (counts[finding.kind] || 0) + 1;
    this.findingCounts = counts;
  }

  async loadActions() {
    this.actions = (await request(this.path('/actions?limit=50'))).data;
  }

  get actionColumns() {
    return ACTION_COLUMNS;
  }

  get licenceColumns() {
    return LICENCE_COLUMNS;
  }

  get objectColumns() {
    return OBJECT_COLUMNS;
  }

  get pullRunning() {
    return this.pull && (this.pull.status === 'queued' || this.pull.status === 'running');
  }

  followPull() {
    clearTimeout(this.timer);
    if (!this.pullRunning) return;
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.timer = setTimeout(async () => {
      try {
        const wasRunning = this.pullRunning;
        this.pull = await request(this.path(`/pulls/${this.pull.id}`));
        if (wasRunning && !this.pullRunning) {
          await this.announcePull();
          return;
        }
      } catch (error) {
        showToast(this, { title: 'Lost the pull', message: error.message, variant: 'error' });
        return;
      }
      this.followPull();
    }, PULL_POLL_MS);
  }

  async announcePull() {
    if (this.pull.status === 'succeeded') {
      showToast(this, {
        title: 'Access pull finished',
        message: `${formatNumber(this.pull.findings)} finding(s), ${formatNumber(this.pull.apiCalls)} API calls`,
        variant: 'success',
      });
    } else {
      showToast(this, { title: 'Access pull failed', message: this.pull.error, variant: 'error' });
    }
    await Promise.all([this.loadLicences(), this.loadFindingCounts()]);
    // The lists and findings below show the new pull.
    this.querySelector('pryzm-access-users')?.reload();
    this.querySelector('pryzm-access-findings')?.reload();
  }

  async handlePull() {
    this.busy = true;
    try {
      this.pull = await request(this.path('/pulls'), { method: 'POST', body: {} });
      this.followPull();
    } catch (error) {
      showToast(this, { title: 'No pull started', message: error.message, variant: 'error' });
    } finally {
      this.busy = false;
    }
  }

  handleConnection(event) {
    this.connectionId = event.target.value;
    this.load();
  }

  handleActionRequest(event) {
    this.pendingAction = event.detail;
  }

  handleActionClosed() {
    this.pendingAction = null;
  }

  async handleActionDone() {
    await this.loadActions();
  }

  async handleExport(event) {
    const { path, file } = event.currentTarget.dataset;
    try {
      await downloadCsv(this.path(path), file);
    } catch (error) {
      showToast(this, { title: 'No export', message: error.message, variant: 'error' });
    }
  }

  handleSetting(event) {
    this.settingsDraft = { ...this.settingsDraft, [event.target.name]: event.target.value };
  }

  async handleSaveSettings(event) {
    event.preventDefault();
    const change = {};
    for (const key of SETTINGS) {
      if (String(this.settingsDraft[key]) !== String(this.settings[key])) {
        change[key] = Number(this.settingsDraft[key]);
      }
    }
    this.busy = true;
    try {
      this.settings = await request(this.path('/settings'), { method: 'PATCH', body: change });
      this.settingsDraft = { ...this.settings };
      showToast(this, {
        title: 'Access settings saved',
        message: 'Findings follow them from the next pull.',
        variant: 'success',
      });
    } catch (error) {
      showToast(this, { title: 'Not saved', message: error.message, variant: 'error' });
    } finally {
      this.busy = false;
    }
  }

  get canManage() {
    return can('integrations:manage');
  }

  get cannotManage() {
    return !this.canManage;
  }

  get hasConnection() {
    return Boolean(this.connectionId);
  }

  get noConnections() {
    return this.canManage && this.loaded && !this.connectionId;
  }

  get connectionOptions() {
    return connectionOptions(this.connections, this.connectionId);
  }

  get currentTab() {
    return TABS.some((t) => t.id === this.tab) ? this.tab : 'overview';
  }

  get tabs() {
    return TABS.map((t) => {
      const active = t.id === this.currentTab;
      return {
        ...t,
        href: `#/access/${t.id}`,
        className: active ? 'slds-tabs_default__item slds-is-active' : 'slds-tabs_default__item',
        ariaCurrent: active ? 'page' : null,
      };
    });
  }

  get isOverview() {
    return this.currentTab === 'overview';
  }
  get isUsers() {
    return this.currentTab === 'users';
  }
  get isFindings() {
    return this.currentTab === 'findings';
  }
  get isActions() {
    return this.currentTab === 'actions';
  }
  get isSettings() {
    return this.currentTab === 'settings';
  }

  get pullDisabled() {
    return this.busy || Boolean(this.pullRunning);
  }

  get hasPull() {
    return Boolean(this.pull);
  }

  get pullSummary() {
    const pull = this.pull;
    if (!pull) return null;
    const read = pull.objects.length;
    const percent = this.pullRunning
      ? Math.min(99, Math.round((read / PULL_OBJECT_COUNT) * 100))
      : pull.status === 'succeeded'
        ? 100
        : Math.round((read / PULL_OBJECT_COUNT) * 100);
    return {
      badge: statusBadge(pull.status),
      percent,
      style: `width: ${percent}%`,
      progressText: `${formatNumber(read)} of ${PULL_OBJECT_COUNT} objects read`,
      started: formatDate(pull.startedAt || pull.queuedAt),
      finished: formatDate(pull.finishedAt),
      apiCalls: formatNumber(pull.apiCalls),
      findings: formatNumber(pull.findings),
      error: pull.error,
      objects: pull.objects.map((o) => ({
        key: o.object,
        object: o.object,
        api: o.api === 'bulk' ? 'Bulk API 2.0' : 'REST query',
        rows: formatNumber(o.rows),
        apiCalls: formatNumber(o.apiCalls),
      })),
    };
  }

  get licenceRows() {
    return this.licences.map((row) => {
      const seat = seats(row);
      return {
        key: row.id,
        name: row.name || row.salesforceId,
        kind: row.kindLabel,
        usedText:
          seat.total === null
            ? `${formatNumber(seat.used)} used`
            : `${formatNumber(seat.used)} of ${formatNumber(seat.total)}`,
        percent: seat.percent,
        style: seat.style,
        barLabel: `${row.name || row.salesforceId} seats used`,
        barClass:
          seat.percent >= (this.settings?.licenceUsagePercent ?? 90)
            ? 'slds-progress-bar__value pryzm-bar-warning'
            : 'slds-progress-bar__value',
      };
    });
  }

  get findingSummary() {
    return Object.entries(this.findingCounts)
      .sort(([, a], [, b]) => b - a)
      .map(([kind, count]) => ({ kind, label: findingLabel(kind), count: formatNumber(count) }));
  }

  get hasFindings() {
    return this.findingSummary.length > 0;
  }

  get hasLicences() {
    return this.licences.length > 0;
  }

  get actionRows() {
    return this.actions.map((a) => {
      const failed = (a.results || []).filter((r) => r.status === 'failed').length;
      return {
        id: a.id,
        label: actionLabel(a.action),
        badge: statusBadge(a.status),
        kind: a.dryRun ? 'Dry run' : 'Confirmed',
        at: formatDate(a.createdAt),
        actor: a.actor,
        records: `${formatNumber((a.results || []).length)} record(s)${failed ? `, ${failed} refused` : ''}`,
        apiCalls: formatNumber(a.apiCalls),
      };
    });
  }

  get hasActions() {
    return this.actions.length > 0;
  }

  get settingFields() {
    const values = this.settingsDraft || {};
    return SETTING_FIELDS.map((field) => ({ ...field, value: values[field.name] }));
  }

  get exports() {
    return [
      { id: 'users', label: 'Users', path: '/lists/users/export', file: 'users.csv' },
      { id: 'findings', label: 'Findings', path: '/findings/export', file: 'findings.csv' },
      {
        id: 'psa',
        label: 'Permission set assignments',
        path: '/lists/permission-set-assignments/export',
        file: 'permission-set-assignments.csv',
      },
      { id: 'logins', label: 'Login history', path: '/login-history/export', file: 'logins.csv' },
    ].map((e) => ({ ...e, ariaLabel: `Export ${e.label} as CSV` }));
  }
}
