import { LightningElement, api } from 'lwc';
import {
  activeConnections,
  can,
  formatDate,
  listAll,
  recordName,
  request,
  valueText,
  workspacePath,
} from 'pryzm/api';
import { showToast } from 'pryzm/toast';

const RECORD_COLUMNS = [{ label: 'Name' }, { label: 'Details' }, { label: 'Updated' }];

/**
 * Records: Organizations, People and pipeline records, searchable, with their values, their
 * linked Salesforce records and "Push to Salesforce".
 */
export default class Records extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;
  @api recordId;

  recordTypes = [];
  typeKey = null;
  records = [];
  search = '';
  selected = null;
  links = [];
  connections = [];
  pushResult = null;
  pushing = false;

  async connectedCallback() {
    try {
      const [types, connections] = await Promise.all([
        request(workspacePath(this.workspaceId, '/record-types')),
        activeConnections(this.workspaceId),
      ]);
      this.recordTypes = types.data;
      this.connections = connections;
      if (this.recordId) {
        await this.open(this.recordId);
        this.typeKey = this.selected?.recordType?.key || this.selected?.recordType || null;
      }
      this.typeKey = this.typeKey || this.recordTypes[0]?.key || null;
      await this.loadRecords();
    } catch (error) {
      showToast(this, {
        title: 'Could not load records',
        message: error.message,
        variant: 'error',
      });
    }
  }

  async loadRecords() {
    if (!this.typeKey) return;
    this.records = await listAll(
      workspacePath(this.workspaceId, `/record-types/${this.typeKey}/records?limit=200`),
      1000,
    );
  }

  async open(recordId) {
    this.pushResult = null;
    const [record, links] = await Promise.all([
      request(workspacePath(this.workspaceId, `/records/${recordId}`)),
      request(workspacePath(this.workspaceId, `/records/${recordId}/links`)),
    ]);
    this.selected = record;
    this.links = links.data;
  }

  handleType(event) {
    this.typeKey = event.target.value;
    this.selected = null;
    this.loadRecords();
  }

  handleSearch(event) {
    this.search = event.target.value;
  }

  handleOpen(event) {
    event.preventDefault();
    this.open(event.currentTarget.dataset.id);
  }

  handleClose() {
    this.selected = null;
  }

  get columns() {
    return RECORD_COLUMNS;
  }

  get typeOptions() {
    return this.recordTypes.map((type) => ({
      value: type.key,
      label: type.pluralName || type.name,
      selected: type.key === this.typeKey,
    }));
  }

  get currentType() {
    return this.recordTypes.find((type) => type.key === this.typeKey) || null;
  }

  get rows() {
    const needle = this.search.trim().toLowerCase();
    return this.records
      .map((record) => ({
        id: record.id,
        name: recordName(record),
        href: `#/records/${record.id}`,
        summary: Object.entries(record.values || {})
          .filter(([key]) => !['name', 'full_name'].includes(key))
          .slice(0, 3)
          .map(([, value]) => valueText(value))
          .join(' · '),
        updated: formatDate(record.updatedAt),
      }))
      .filter(
        (row) =>
          !needle ||
          row.name.toLowerCase().includes(needle) ||
          row.summary.toLowerCase().includes(needle),
      )
      .slice(0, 200);
  }

  get countText() {
    return `${this.rows.length} of ${this.records.length}`;
  }

  get hasSelected() {
    return Boolean(this.selected);
  }

  get selectedName() {
    return this.selected ? recordName(this.selected) : '';
  }

  get details() {
    if (!this.selected) return [];
    const attributes = this.currentType?.attributes || [];
    return Object.entries(this.selected.values || {}).map(([key, value]) => ({
      key,
      dtKey: `label-${key}`,
      ddKey: `value-${key}`,
      label: attributes.find((a) => a.key === key)?.name || key,
      value: valueText(value),
    }));
  }

  get linkRows() {
    return this.links.map((link) => {
      const connection = this.connections.find((c) => c.id === link.connectionId);
      return {
        id: link.id,
        object: link.salesforceObject,
        salesforceId: link.salesforceId,
        href: connection ? `${connection.instanceUrl}/${link.salesforceId}` : null,
        org: connection ? connection.orgName : 'Disconnected org',
        synced: formatDate(link.lastSyncedAt),
      };
    });
  }

  get hasLinks() {
    return this.links.length > 0;
  }

  /** Admins and Editors push (integrations:push); Viewers see no Push button. */
  get mayPush() {
    return can('integrations:push');
  }

  get canPush() {
    return this.connections.length > 0 && !this.pushing;
  }

  get pushDisabled() {
    return !this.canPush;
  }

  async handlePush() {
    this.pushing = true;
    this.pushResult = null;
    try {
      const result = await request(
        workspacePath(this.workspaceId, `/records/${this.selected.id}/push`),
        { method: 'POST', body: { connectionId: this.connections[0].id } },
      );
      const outcome = {
        action: result.action,
        salesforceId: result.salesforceId,
        skipped: (result.fields || [])
          .filter((field) => field.status !== 'synced')
          .map((field, index) => ({
            key: `${field.attribute}-${index}`,
            text: `${field.attribute}: ${field.message || field.reason || field.code}`,
          })),
      };
      showToast(this, {
        title: `Pushed to Salesforce (${result.action})`,
        message: `${result.salesforceId || ''}`,
        variant: 'success',
      });
      await this.open(this.selected.id);
      this.pushResult = outcome;
    } catch (error) {
      showToast(this, { title: 'The push failed', message: error.message, variant: 'error' });
    } finally {
      this.pushing = false;
    }
  }
}
