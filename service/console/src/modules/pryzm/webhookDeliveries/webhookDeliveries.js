import { LightningElement, api } from 'lwc';
import { formatDate, request, workspacePath } from 'pryzm/api';
import { eventLabel } from 'pryzm/webhookText';
import { showToast } from 'pryzm/toast';

const DELIVERY_COLUMNS = [
  { label: 'Event' },
  { label: 'Status' },
  { label: 'Attempts' },
  { label: 'Last answer' },
  { label: 'Sent' },
  { label: 'Actions', assistive: true },
];

const PAGE_SIZE = 25;

const STATUS_BADGES = {
  succeeded: 'slds-badge slds-theme_success',
  failed: 'slds-badge slds-theme_error',
  pending: 'slds-badge slds-theme_warning',
};

/**
 * A webhook's delivery log, newest first, a page at a time (cursor paging): each delivery's
 * event, status, attempts and last answer, its signed body on demand, and Redeliver, which
 * sends the same event (same id and body) again now as a new delivery.
 */
export default class WebhookDeliveries extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;

  /** The subscription whose log is shown; another one loads its own log. */
  @api
  get webhookId() {
    return this.currentWebhookId;
  }
  set webhookId(value) {
    const changed = this.currentWebhookId && value !== this.currentWebhookId;
    this.currentWebhookId = value;
    if (changed) {
      this.openPayloadId = null;
      this.refresh();
    }
  }

  currentWebhookId;

  deliveries = [];
  nextCursor = null;
  loaded = false;
  error = '';
  openPayloadId = null;
  redelivering = null;

  connectedCallback() {
    this.refresh();
  }

  path(rest = '') {
    return workspacePath(this.workspaceId, `/webhooks/${this.webhookId}/deliveries${rest}`);
  }

  async refresh() {
    try {
      const page = await request(this.path(`?limit=${PAGE_SIZE}`));
      this.deliveries = page.data;
      this.nextCursor = page.nextCursor;
      this.loaded = true;
      this.error = '';
    } catch (error) {
      this.error = error.message;
    }
  }

  async loadOlder() {
    try {
      const page = await request(this.path(`?limit=${PAGE_SIZE}&cursor=${this.nextCursor}`));
      this.deliveries = [...this.deliveries, ...page.data];
      this.nextCursor = page.nextCursor;
    } catch (error) {
      this.error = error.message;
    }
  }

  get columns() {
    return DELIVERY_COLUMNS;
  }

  get hasMore() {
    return Boolean(this.nextCursor);
  }

  get isEmpty() {
    return this.loaded && this.deliveries.length === 0;
  }

  get rows() {
    return this.deliveries.map((delivery) => {
      const open = delivery.id === this.openPayloadId;
      return {
        ...delivery,
        event: eventLabel(delivery.eventType),
        statusLabel: delivery.status.replace(/^./, (c) => c.toUpperCase()),
        statusClass: STATUS_BADGES[delivery.status] || 'slds-badge',
        answer: delivery.lastStatusCode
          ? `HTTP ${delivery.lastStatusCode}`
          : delivery.lastError || '—',
        detailError: delivery.lastStatusCode && delivery.lastError ? delivery.lastError : '',
        created: formatDate(delivery.createdAt),
        delivered: delivery.deliveredAt ? formatDate(delivery.deliveredAt) : '—',
        next:
          delivery.status === 'pending' && delivery.nextAttemptAt
            ? `next attempt ${formatDate(delivery.nextAttemptAt)}`
            : '',
        isRedelivery: Boolean(delivery.redeliveryOf),
        payloadOpen: open,
        payloadId: `payload-${delivery.id}`,
        payloadText: open ? JSON.stringify(delivery.payload, null, 2) : '',
        payloadLabel: open ? 'Hide body' : 'Show body',
        payloadLabelFor: `Body of the ${eventLabel(delivery.eventType)} delivery`,
        redeliverLabel: `Redeliver ${eventLabel(delivery.eventType)} of ${formatDate(delivery.createdAt)}`,
        busy: this.redelivering === delivery.id,
      };
    });
  }

  togglePayload(event) {
    const { id } = event.currentTarget.dataset;
    this.openPayloadId = this.openPayloadId === id ? null : id;
  }

  async redeliver(event) {
    const { id } = event.currentTarget.dataset;
    this.redelivering = id;
    try {
      const copy = await request(this.path(`/${id}/redeliver`), { method: 'POST' });
      showToast(this, {
        title: 'Redelivery sent',
        message: `${eventLabel(copy.eventType)}: the same event, sent again now.`,
        variant: 'success',
      });
      await this.refresh();
    } catch (error) {
      showToast(this, { title: 'Could not redeliver', message: error.message, variant: 'error' });
    } finally {
      this.redelivering = null;
    }
  }
}
