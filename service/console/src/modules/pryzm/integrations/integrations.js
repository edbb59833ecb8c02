import { LightningElement, api } from 'lwc';
import { can, request, listAll, workspacePath } from 'pryzm/api';
import { showToast } from 'pryzm/toast';
import { forgetOutcomeInAddressBar, listenForOutcomes, oauthOutcome } from 'pryzm/oauthReturn';

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
  /** The route's query: an OAuth outcome the callback sent the browser back with. */
  @api routeQuery;

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
  /** The org a re-authorisation is for, named in the dialog's heading. */
  reauthorizingName = '';

  disconnecting = null;

  connectedCallback() {
    this.stopListening = listenForOutcomes((outcome) => {
      if (!this.waiting) return false;
      this.takeOutcome(outcome);
      return true;
    });
    const outcome = oauthOutcome(this.routeQuery);
    if (outcome) {
      forgetOutcomeInAddressBar();
      this.load().then(() => this.showOutcome(outcome));
    } else {
      this.load();
    }
  }

  disconnectedCallback() {
    this.stopListening?.();
    this.stopWaiting();
  }

  /** The console's popup came back from Salesforce: it hands over the outcome and closes. */
  async takeOutcome(outcome) {
    this.waiting?.popup?.close?.();
    this.stopWaiting();
    this.connectOpen = false;
    await this.load();
    this.showOutcome(outcome);
  }

  /** A toast with the outcome, and the connected org's card brought into view. */
  showOutcome(outcome) {
    if (!outcome.connected) {
      showToast(this, {
        title:
          outcome.code === 'authorization_denied'
            ? 'Salesforce access was not allowed'
            : 'The connection did not complete',
        message: outcome.message,
        variant: 'error',
      });
      return;
    }
    const connection = this.connections.find((c) => c.id === outcome.connectionId);
    showToast(this, {
      title: `Connected to ${connection?.orgName || 'Salesforce'}`,
      message: connection ? `${connection.username} on ${connection.instanceUrl}` : '',
      variant: 'success',
    });
    Promise.resolve().then(() => {
      const card = this.querySelector(`[data-connection-id="${outcome.connectionId}"]`);
      card?.scrollIntoView({ block: 'center' });
      card?.classList.add('pryzm-just-connected');
    });
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
  }

  closeConnect() {
    this.stopWaiting();
    this.connectOpen = false;
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
      this.openSalesforceLogin(started, { reauthorizing: false });
    } catch (error) {
      this.connectError = error.message;
    }
  }

  /** Salesforce's login page for an authorisation link, in a popup, polled until it ends. */
  openSalesforceLogin(started, { reauthorizing }) {
    const popup = window.open(
      started.authorizationUrl,
      'pryzm-salesforce-login',
      'popup,width=640,height=720',
    );
    this.waiting = {
      connectionId: started.connection.id,
      authorizationUrl: started.authorizationUrl,
      popup,
      reauthorizing,
    };
    this.pollAuthorization();
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
        // A re-authorised connection keeps its status until Salesforce sends the browser back.
        const stillWaiting =
          connection.status === 'pending_authorization' ||
          (this.waiting.reauthorizing && connection.status === 'needs_reauthorization');
        if (stillWaiting) {
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
  }

  /**
   * Re-authorises the connection in place (`POST …/reauthorize`): its records, links, mappings
   * and history stay with it. A web-server connection signs in on Salesforce's login page again;
   * the JWT bearer and password flows sign in again with their stored credentials.
   */
  async handleReconnectRequest(event) {
    const connection = this.connections.find((c) => c.id === event.detail.connectionId);
    if (!connection) return;
    const path = workspacePath(this.workspaceId, `/connections/${connection.id}/reauthorize`);
    if (connection.authFlow !== 'web_server') {
      try {
        const renewed = await request(path, { method: 'POST', body: {} });
        showToast(this, {
          title: `Re-authorised ${renewed.orgName || connection.label || 'the org'}`,
          message: `${renewed.username} on ${renewed.instanceUrl}`,
          variant: 'success',
        });
      } catch (error) {
        showToast(this, {
          title: 'Could not re-authorise',
          message: error.message,
          variant: 'error',
        });
      }
      await this.load();
      return;
    }
    this.openConnect();
    this.reauthorizingName = connection.orgName || connection.label || 'the org';
    try {
      this.openSalesforceLogin(await request(path, { method: 'POST', body: {} }), {
        reauthorizing: true,
      });
    } catch (error) {
      this.connectError = error.message;
    }
  }

  get connectHeading() {
    return this.waiting?.reauthorizing
      ? `Re-authorise ${this.reauthorizingName}`
      : 'Connect a Salesforce org';
  }

  cancelDisconnect() {
    this.disconnecting = null;
  }

  get disconnectName() {
    return this.disconnecting?.orgName || this.disconnecting?.label || 'this org';
  }

  get disconnectHeading() {
    return `Disconnect ${this.disconnectName}?`;
  }

  get breadcrumbs() {
    return [
      { label: 'Settings', href: '#/integrations' },
      { label: 'Integrations', href: '#/integrations' },
    ];
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
