import { LightningElement, api } from 'lwc';
import { formatDate, formatNumber } from 'pryzm/api';

const BADGES = {
  active: 'slds-badge slds-theme_success',
  pending_authorization: 'slds-badge slds-badge_lightest',
  needs_reauthorization: 'slds-badge slds-theme_warning',
  disconnected: 'slds-badge',
};

/** How Salesforce changes reach Pryzm, as the connection names it. */
const CHANGE_SOURCES = {
  flows: 'Real time: the package’s Flows',
  cdc: 'Real time: Change Data Capture',
  paused: 'Paused: scheduled pulls only',
};

const ENVIRONMENT_LABELS = { production: 'Production', sandbox: 'Sandbox', custom: 'My Domain' };

/** One connected org: who and where it is, how changes arrive, the last sync, API usage. */
export default class ConnectionCard extends LightningElement {
  static renderMode = 'light';

  @api connection;
  @api lastSync;
  @api canManage = false;
  @api workspaceId;

  get title() {
    return this.connection.orgName || this.connection.label || 'Salesforce org';
  }

  get headingId() {
    return `connection-${this.connection.id}`;
  }

  get badgeClass() {
    return BADGES[this.connection.status] || 'slds-badge';
  }

  get environmentLabel() {
    const label = ENVIRONMENT_LABELS[this.connection.environment] || this.connection.environment;
    return this.connection.isSandbox && this.connection.environment !== 'sandbox'
      ? `${label} (sandbox)`
      : label;
  }

  get changeSource() {
    // Real-time change events when the service subscribes to them; scheduled pulls otherwise.
    const source = this.connection.changeSource;
    if (!source) return 'Scheduled and on-demand pulls';
    return CHANGE_SOURCES[source] || source;
  }

  get lastSyncText() {
    if (!this.lastSync) return 'Never';
    const outcome = this.lastSync.status === 'succeeded' ? '' : ` (${this.lastSync.status})`;
    return `${formatDate(this.lastSync.finishedAt)}${outcome}`;
  }

  get connectedAt() {
    return formatDate(this.connection.connectedAt);
  }

  get apiUsage() {
    const usage = this.connection.orgApiUsage;
    if (!usage) return `${formatNumber(this.connection.apiCallCount)} calls by Pryzm`;
    return `${formatNumber(this.connection.apiCallCount)} by Pryzm · org ${formatNumber(usage.used)} of ${formatNumber(usage.limit)} today`;
  }

  get needsReauthorization() {
    return (
      this.canManage &&
      (this.connection.status === 'needs_reauthorization' ||
        this.connection.status === 'pending_authorization')
    );
  }

  get isActive() {
    return this.connection.status === 'active';
  }

  get hasStatusMessage() {
    return Boolean(this.connection.statusMessage) && this.connection.status !== 'active';
  }

  handleDisconnect() {
    this.dispatchEvent(
      new CustomEvent('disconnectrequest', { detail: { connectionId: this.connection.id } }),
    );
  }

  handleReconnect() {
    this.dispatchEvent(
      new CustomEvent('reconnectrequest', { detail: { connectionId: this.connection.id } }),
    );
  }
}
