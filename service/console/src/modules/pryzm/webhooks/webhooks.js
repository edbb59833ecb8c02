import { LightningElement, api } from 'lwc';
import { can, formatDate, listAll, request, workspacePath } from 'pryzm/api';
import { eventLabel, filterText } from 'pryzm/webhookText';
import { showToast } from 'pryzm/toast';

const WEBHOOK_COLUMNS = [
  { label: 'Webhook' },
  { label: 'Events' },
  { label: 'Filter' },
  { label: 'Status' },
  { label: 'Created', className: 'pryzm-hide-narrow' },
  { label: 'Actions', assistive: true },
];

/** Edit and Delete, named with the webhook for screen readers when the row says which one. */
function webhookActions(name) {
  return [
    { name: 'edit', label: 'Edit', assistiveLabel: name ? `Edit ${name}` : undefined },
    {
      name: 'delete',
      label: 'Delete',
      assistiveLabel: name ? `Delete ${name}` : undefined,
      variant: 'destructive',
    },
  ];
}

/**
 * Webhooks: the workspace's subscriptions (target URL, events, value filter, enabled); create
 * (the signing secret shown once), edit, delete after a confirmation; a subscription's delivery
 * log with manual redelivery at `#/webhooks/<id>`.
 */
export default class Webhooks extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;
  /** The subscription whose deliveries are shown, from the route. */
  @api webhookId;

  webhooks = [];
  loaded = false;
  error = '';
  editing = null;
  formError = '';
  saving = false;
  created = null;
  deleting = null;

  connectedCallback() {
    if (this.canManage) this.load();
  }

  async load() {
    try {
      this.webhooks = await listAll(workspacePath(this.workspaceId, '/webhooks'));
      this.loaded = true;
    } catch (error) {
      this.error = error.message;
    }
  }

  /** Webhooks are read and managed with integrations:manage (Admins). */
  get canManage() {
    return can('integrations:manage');
  }

  get isEmpty() {
    return this.loaded && this.webhooks.length === 0;
  }

  get selected() {
    return this.webhooks.find((hook) => hook.id === this.webhookId) || null;
  }

  get showList() {
    return !this.webhookId;
  }

  get columns() {
    return WEBHOOK_COLUMNS;
  }

  get rows() {
    return this.webhooks.map((hook) => ({
      ...hook,
      href: `#/webhooks/${hook.id}`,
      name: hook.description || hook.url,
      eventsText: hook.events.map(eventLabel).join(', '),
      filterText: filterText(hook.filter),
      created: formatDate(hook.createdAt),
      statusLabel: hook.enabled ? 'Enabled' : 'Paused',
      statusClass: hook.enabled ? 'slds-badge slds-theme_success' : 'slds-badge',
      actions: webhookActions(hook.description || hook.url),
      deliveriesLabel: `Deliveries of ${hook.description || hook.url}`,
    }));
  }

  /** The detail view's Edit and Delete: the page's heading already names the webhook. */
  get viewActions() {
    return webhookActions(null);
  }

  get selectedView() {
    const hook = this.selected;
    if (!hook) return null;
    return {
      ...hook,
      name: hook.description || hook.url,
      eventsText: hook.events.map(eventLabel).join(', '),
      filterText: filterText(hook.filter),
      statusLabel: hook.enabled ? 'Enabled' : 'Paused',
      statusClass: hook.enabled ? 'slds-badge slds-theme_success' : 'slds-badge',
    };
  }

  get selectedBreadcrumbs() {
    return [{ label: 'Webhooks', href: '#/webhooks' }];
  }

  openCreate() {
    this.formError = '';
    this.editing = { isNew: true };
  }

  handleEdit(event) {
    const { id } = event.detail;
    this.formError = '';
    this.editing = { isNew: false, webhook: this.webhooks.find((hook) => hook.id === id) };
  }

  closeForm() {
    this.editing = null;
  }

  get formHeading() {
    return this.editing?.isNew ? 'New webhook' : 'Edit webhook';
  }

  get saveLabel() {
    return this.editing?.isNew ? 'Create webhook' : 'Save';
  }

  async handleSave(event) {
    const { body } = event.detail;
    const editing = this.editing;
    this.saving = true;
    this.formError = '';
    try {
      if (editing.isNew) {
        this.created = await request(workspacePath(this.workspaceId, '/webhooks'), {
          method: 'POST',
          body,
        });
        showToast(this, { title: 'Webhook created', message: body.url, variant: 'success' });
      } else {
        await request(workspacePath(this.workspaceId, `/webhooks/${editing.webhook.id}`), {
          method: 'PATCH',
          body,
        });
        showToast(this, { title: 'Webhook saved', message: body.url, variant: 'success' });
      }
      this.editing = null;
      await this.load();
    } catch (error) {
      this.formError = error.message;
    } finally {
      this.saving = false;
    }
  }

  get createdHeading() {
    return 'Copy the signing secret now: it is not shown again';
  }

  get createdMessage() {
    return 'Your receiver checks each delivery’s Pryzm-Signature header with it (HMAC-SHA256 over "<t>.<body>", README "Webhooks").';
  }

  handleDismissSecret() {
    this.created = null;
  }

  handleDeleteRequest(event) {
    this.deleting = this.webhooks.find((hook) => hook.id === event.detail.id);
  }

  cancelDelete() {
    this.deleting = null;
  }

  get deleteHeading() {
    return `Delete the webhook to ${this.deleting?.url}?`;
  }

  async confirmDelete() {
    const hook = this.deleting;
    this.deleting = null;
    try {
      await request(workspacePath(this.workspaceId, `/webhooks/${hook.id}`), { method: 'DELETE' });
      showToast(this, { title: 'Webhook deleted', message: hook.url, variant: 'success' });
      if (this.webhookId === hook.id) window.location.hash = '#/webhooks';
      await this.load();
    } catch (error) {
      showToast(this, { title: 'Could not delete', message: error.message, variant: 'error' });
    }
  }
}
