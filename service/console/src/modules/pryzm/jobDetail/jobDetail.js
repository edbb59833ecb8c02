import { LightningElement, api } from 'lwc';
import {
  countsText,
  formatDate,
  formatNumber,
  jobKindLabel,
  jobStatus,
  request,
  valueText,
  workspacePath,
} from 'pryzm/api';

const OUTCOME_COLUMNS = [
  { label: 'Object' },
  { label: 'Salesforce ID' },
  { label: 'Outcome' },
  { label: 'Reason' },
  { label: 'Fields' },
];

const OBJECT_COLUMNS = [
  { label: 'Object' },
  { label: 'Phase' },
  { label: 'Processed' },
  { label: 'Total' },
  { label: 'Outcome' },
];

const ACTIONS = [
  '',
  'created',
  'updated',
  'linked',
  'restored',
  'deleted',
  'conflict',
  'skipped',
  'failed',
];

/** One job: its objects, then each record's outcome, each expandable to its field results. */
export default class JobDetail extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;
  @api jobId;

  job = null;
  records = [];
  nextCursor = null;
  action = '';
  expanded = {};
  error = '';

  connectedCallback() {
    this.load();
  }

  async load() {
    try {
      const base = workspacePath(this.workspaceId, `/jobs/${this.jobId}`);
      const [job, records] = await Promise.all([
        request(base),
        request(`${base}/records?limit=100${this.action ? `&action=${this.action}` : ''}`),
      ]);
      this.job = job;
      this.records = records.data;
      this.nextCursor = records.nextCursor;
    } catch (error) {
      this.error = error.message;
    }
  }

  async handleMore() {
    const base = workspacePath(this.workspaceId, `/jobs/${this.jobId}/records`);
    const page = await request(
      `${base}?limit=100&cursor=${this.nextCursor}${this.action ? `&action=${this.action}` : ''}`,
    );
    this.records = [...this.records, ...page.data];
    this.nextCursor = page.nextCursor;
  }

  handleAction(event) {
    this.action = event.target.value;
    this.load();
  }

  handleToggle(event) {
    const id = event.currentTarget.dataset.id;
    this.expanded = { ...this.expanded, [id]: !this.expanded[id] };
  }

  get outcomeColumns() {
    return OUTCOME_COLUMNS;
  }

  get objectColumns() {
    return OBJECT_COLUMNS;
  }

  get hasJob() {
    return Boolean(this.job);
  }

  get noJob() {
    return !this.job;
  }

  get breadcrumbs() {
    return [{ label: 'History', href: '#/history' }];
  }

  get title() {
    return this.job
      ? `${jobKindLabel(this.job)} · ${formatDate(this.job.startedAt || this.job.queuedAt)}`
      : '';
  }

  get badge() {
    return jobStatus(this.job?.status);
  }

  get summary() {
    return this.job
      ? `${countsText(this.job.counts)} · ${formatNumber(this.job.apiCalls)} API calls`
      : '';
  }

  get objects() {
    return (this.job?.objects || []).map((object) => ({
      key: `${object.salesforceObject}-${object.phase}`,
      name: object.salesforceObject,
      phase: object.phase,
      processed: formatNumber(object.processed),
      total: formatNumber(object.total),
      counts: countsText(object.counts),
    }));
  }

  get actionOptions() {
    return ACTIONS.map((value) => ({
      value,
      label: value ? value.replace(/^./, (c) => c.toUpperCase()) : 'All outcomes',
      selected: value === this.action,
    }));
  }

  get rows() {
    return this.records.map((record) => {
      const open = Boolean(this.expanded[record.id]);
      return {
        id: record.id,
        object: record.salesforceObject,
        salesforceId: record.salesforceId || '—',
        recordHref: record.recordId ? `#/records/${record.recordId}` : null,
        recordId: record.recordId,
        action: record.action,
        error: record.error ? `${record.error.code}: ${record.error.message}` : '',
        fieldCount: record.fields.length,
        hasFields: record.fields.length > 0,
        open,
        ariaExpanded: open ? 'true' : 'false',
        toggleLabel: open ? 'Hide fields' : `Show ${record.fields.length} field(s)`,
        detailId: `fields-${record.id}`,
        fields: record.fields.map((field, index) => ({
          key: `${record.id}-${index}`,
          attribute: field.attribute,
          salesforceFields: (field.salesforceFields || []).join(', '),
          status: field.status || (field.base !== undefined ? 'conflict' : ''),
          code: field.code || '',
          reason: field.message || field.reason || field.note || '',
          values:
            field.base !== undefined
              ? `base ${valueText(field.base)} · Pryzm ${valueText(field.pryzm)} · Salesforce ${valueText(field.salesforce)}`
              : '',
        })),
      };
    });
  }

  get hasMore() {
    return Boolean(this.nextCursor);
  }

  get noRecords() {
    return this.job && this.records.length === 0;
  }
}
