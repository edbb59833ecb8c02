import { LightningElement, api } from 'lwc';
import { can, formatDate, listAll, request, workspacePath } from 'pryzm/api';
import { showToast } from 'pryzm/toast';

/** API keys: list, create (the secret is shown once), revoke after a confirmation. */
export default class ApiKeys extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;

  keys = [];
  name = '';
  created = null;
  revoking = null;
  error = '';

  connectedCallback() {
    this.load();
  }

  async load() {
    try {
      this.keys = await listAll(workspacePath(this.workspaceId, '/api-keys'));
    } catch (error) {
      this.error =
        error.status === 403
          ? 'Only an Admin of this workspace sees and manages its API keys.'
          : error.message;
    }
  }

  /** Creating and revoking keys need integrations:manage. */
  get canManage() {
    return can('integrations:manage');
  }

  get rows() {
    return this.keys.map((key) => ({
      ...key,
      created: formatDate(key.createdAt),
      lastUsed: key.lastUsedAt ? formatDate(key.lastUsedAt) : 'Never',
      status: key.revokedAt ? `Revoked ${formatDate(key.revokedAt)}` : 'Active',
      badgeClass: key.revokedAt ? 'slds-badge' : 'slds-badge slds-theme_success',
      active: !key.revokedAt && can('integrations:manage'),
      revokeLabel: `Revoke ${key.name}`,
    }));
  }

  handleName(event) {
    this.name = event.target.value;
  }

  get createDisabled() {
    return !this.name.trim();
  }

  async handleCreate(event) {
    event.preventDefault();
    try {
      const created = await request(workspacePath(this.workspaceId, '/api-keys'), {
        method: 'POST',
        body: { name: this.name.trim() },
      });
      this.created = created;
      this.name = '';
      this.querySelector('#key-name').value = '';
      await this.load();
    } catch (error) {
      showToast(this, {
        title: 'The key was not created',
        message: error.message,
        variant: 'error',
      });
    }
  }

  handleDismissSecret() {
    this.created = null;
  }

  handleRevokeRequest(event) {
    this.revoking = this.keys.find((key) => key.id === event.currentTarget.dataset.id) || null;
    Promise.resolve().then(() => this.querySelector('[data-focus="revoke"]')?.focus());
  }

  handleCancelRevoke() {
    this.revoking = null;
  }

  handleKeydown(event) {
    if (event.key === 'Escape') this.revoking = null;
  }

  async handleConfirmRevoke() {
    const key = this.revoking;
    this.revoking = null;
    try {
      await request(workspacePath(this.workspaceId, `/api-keys/${key.id}`), { method: 'DELETE' });
      showToast(this, { title: `${key.name} revoked`, variant: 'success' });
      await this.load();
    } catch (error) {
      showToast(this, { title: 'Could not revoke', message: error.message, variant: 'error' });
    }
  }
}
