import { LightningElement, api } from 'lwc';
import { can, request, listAll, workspacePath } from 'pryzm/api';
import { showToast } from 'pryzm/toast';

const ENVIRONMENTS = [
  { value: 'production', label: 'Production', help: 'login.salesforce.com' },
  { value: 'sandbox', label: 'Sandbox', help: 'test.salesforce.com' },
  { value: 'custom', label: 'My Domain', help: 'Your org’s own login URL' },
];

/** How often the page asks whether the person finished signing in to Salesforce. */
const AUTHORIZATION_POLL_MS = 1000;

/**
 * Settings → Integrations → Salesforce: one card per connected org, connecting another through
 * Salesforce's own login pages (the web-server OAuth flow, in a popup), and disconnecting.
 */
export default class Integrations extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;

  connections = [];
  lastSyncs = {};
  loading = true;
  loadError = '';

  connectOpen = false;
  environment = 'production';
  loginUrl = '';
  label = '';
  connectError = '';
  waiting = null;

  disconnecting = null;

  connectedCallback() {
    this.load();
  }

  disconnectedCallback() {
    this.stopWaiting();
  }

  async load() {
    this.loadError = '';
    try {
      const [connections, jobs] = await Promise.all([
        listAll(workspacePath(this.workspaceId, '/connections')),
        request(workspacePath(this.workspaceId, '/jobs?limit=100')),
      ]);
      const lastSyncs = {};
      for (const job of jobs.data) {
        if (job.finishedAt && !lastSyncs[job.connectionId]) lastSyncs[job.connectionId] = job;
      }
      this.lastSyncs = lastSyncs;
      this.connections = connections;
    } catch (error) {
      this.loadError = error.message;
    } finally {
      this.loading = false;
    }
  }

  /** Connect, disconnect, mappings, jobs, conflicts and keys need integrations:manage. */
  get canManage() {
    return can('integrations:manage');
  }

  get cannotManage() {
    return !can('integrations:manage');
  }

  get cards() {
    return this.connections
      .filter((connection) => connection.status !== 'disconnected')
      .map((connection) => ({ connection, lastSync: this.lastSyncs[connection.id] || null }));
  }

  get disconnectedCount() {
    return this.connections.filter((c) => c.status === 'disconnected').length;
  }

  get hasDisconnected() {
    return this.disconnectedCount > 0;
  }

  get isEmpty() {
    return !this.loading && !this.loadError && this.cards.length === 0;
  }

  get hasLoadError() {
    return Boolean(this.loadError);
  }

  get environmentOptions() {
    return ENVIRONMENTS.map((option) => ({
      ...option,
      id: `environment-${option.value}`,
      checked: option.value === this.environment,
    }));
  }

  get isCustom() {
    return this.environment === 'custom';
  }

  get hasConnectError() {
    return Boolean(this.connectError);
  }

  get isWaiting() {
    return Boolean(this.waiting);
  }

  get notWaiting() {
    return !this.waiting;
  }

  get authorizationUrl() {
    return this.waiting?.authorizationUrl;
  }

  openConnect() {
    this.connectOpen = true;
    this.connectError = '';
    this.environment = 'production';
    this.loginUrl = '';
    this.label = '';
    // Focus moves into the dialog, as SLDS's modal pattern asks.
    Promise.resolve().then(() => this.querySelector('[data-focus="connect"]')?.focus());
  }

  closeConnect() {
    this.stopWaiting();
    this.connectOpen = false;
    this.querySelector('[data-id="connect-button"]')?.focus();
  }

  handleEnvironment(event) {
    this.environment = event.target.value;
  }

  handleLoginUrl(event) {
    this.loginUrl = event.target.value;
  }

  handleLabel(event) {
    this.label = event.target.value;
  }

  handleKeydown(event) {
    if (event.key === 'Escape') {
      if (this.connectOpen) this.closeConnect();
      if (this.disconnecting) this.cancelDisconnect();
    }
  }

  async startConnect() {
    this.connectError = '';
    const body = { authFlow: 'web_server', environment: this.environment };
    if (this.isCustom) body.loginUrl = this.loginUrl.trim();
    if (this.label.trim()) body.label = this.label.trim();
    try {
      const started = await request(workspacePath(this.workspaceId, '/connections'), {
        method: 'POST',
        body,
      });
      const popup = window.open(
        started.authorizationUrl,
        'pryzm-salesforce-login',
        'popup,width=640,height=720',
      );
      this.waiting = {
        connectionId: started.connection.id,
        authorizationUrl: started.authorizationUrl,
        popup,
      };
      this.pollAuthorization();
    } catch (error) {
      this.connectError = error.message;
    }
  }

  pollAuthorization() {
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.waiting.timer = setTimeout(async () => {
      if (!this.waiting) return;
      const { connectionId, popup } = this.waiting;
      try {
        const connection = await request(
          workspacePath(this.workspaceId, `/connections/${connectionId}`),
        );
        if (connection.status === 'pending_authorization') {
          this.pollAuthorization();
          return;
        }
        this.stopWaiting();
        popup?.close?.();
        this.connectOpen = false;
        if (connection.status === 'active') {
          showToast(this, {
            title: `Connected to ${connection.orgName}`,
            message: `${connection.username} on ${connection.instanceUrl}`,
            variant: 'success',
          });
        } else {
          showToast(this, {
            title: 'The connection did not complete',
            message: connection.statusMessage || connection.statusLabel,
            variant: 'error',
          });
        }
        await this.load();
      } catch (error) {
        this.stopWaiting();
        this.connectError = error.message;
      }
    }, AUTHORIZATION_POLL_MS);
  }

  stopWaiting() {
    if (this.waiting?.timer) clearTimeout(this.waiting.timer);
    this.waiting = null;
  }

  handleDisconnectRequest(event) {
    this.disconnecting = this.connections.find((c) => c.id === event.detail.connectionId) || null;
    Promise.resolve().then(() => this.querySelector('[data-focus="disconnect"]')?.focus());
  }

  handleReconnectRequest(event) {
    const connection = this.connections.find((c) => c.id === event.detail.connectionId);
    this.openConnect();
    if (connection) {
      this.environment = connection.environment;
      this.loginUrl = connection.environment === 'custom' ? connection.loginUrl : '';
      this.label = connection.label || '';
    }
  }

  cancelDisconnect() {
    this.disconnecting = null;
  }

  get disconnectName() {
    return this.disconnecting?.orgName || this.disconnecting?.label || 'this org';
  }

  async confirmDisconnect() {
    const connection = this.disconnecting;
    this.disconnecting = null;
    try {
      await request(workspacePath(this.workspaceId, `/connections/${connection.id}`), {
        method: 'DELETE',
      });
      showToast(this, {
        title: `Disconnected from ${connection.orgName || connection.label}`,
        message: 'Records, links and mappings stay in Pryzm.',
        variant: 'success',
      });
      await this.load();
    } catch (error) {
      showToast(this, { title: 'Could not disconnect', message: error.message, variant: 'error' });
    }
  }
}
