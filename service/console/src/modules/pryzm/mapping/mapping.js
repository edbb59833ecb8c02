import { LightningElement, api } from 'lwc';
import {
  activeConnections,
  can,
  connectionOptions,
  listAll,
  request,
  workspacePath,
} from 'pryzm/api';
import { showToast } from 'pryzm/toast';

const DIRECTIONS = [
  { value: 'bidirectional', label: 'Both ways' },
  { value: 'pull', label: 'Salesforce → Pryzm' },
  { value: 'push', label: 'Pryzm → Salesforce' },
];

const SCHEDULES = [
  { value: 'manual', label: 'On demand' },
  { value: 'interval', label: 'Every few minutes' },
  { value: 'realtime', label: 'Real time' },
];

const STRATEGIES = [
  { value: 'salesforce_wins', label: 'Salesforce wins' },
  { value: 'pryzm_wins', label: 'Pryzm wins' },
  { value: 'most_recent', label: 'Most recent change wins' },
  { value: 'manual', label: 'Ask me (Conflicts page)' },
];

/** What the API answers beside a mapping's own definition; a draft sends none of it. */
const NOT_IN_DRAFT = ['id', 'connectionId', 'validation', 'validatedAt', 'createdAt', 'updatedAt'];

/** The draft is checked against the org this long after the last keystroke. */
const VALIDATE_DELAY_MS = 400;

/** The draft as a whole mapping (create, validate): the default match rules are no rules at all. */
function wholeMapping(draft) {
  const { matchRules, ...rest } = draft;
  return matchRules === null || matchRules === undefined ? rest : draft;
}

/**
 * Configure mapping: one object pair at a time, its direction, conflict strategy, schedule and
 * filter, and its field table; every change is checked against the org by the API as it is made.
 */
export default class Mapping extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;

  connections = [];
  connectionId = null;
  mappings = [];
  selectedId = null;
  draft = null;
  report = null;
  validating = false;
  dirty = false;
  saving = false;
  timer = null;
  pipelineName = '';
  /** The workspace's record types, for attribute choices. */
  recordTypes = [];
  /** The draft is an object pair not saved yet (Save creates it). */
  isNew = false;
  newObject = '';
  newRecordType = '';
  removing = false;

  async connectedCallback() {
    try {
      const [connections, recordTypes] = await Promise.all([
        activeConnections(this.workspaceId),
        listAll(workspacePath(this.workspaceId, '/record-types')),
      ]);
      this.connections = connections;
      this.recordTypes = recordTypes;
      this.connectionId = this.connections[0]?.id ?? null;
      await this.loadMappings();
    } catch (error) {
      showToast(this, {
        title: 'Could not load mappings',
        message: error.message,
        variant: 'error',
      });
    }
  }

  disconnectedCallback() {
    clearTimeout(this.timer);
  }

  get base() {
    return workspacePath(this.workspaceId, `/connections/${this.connectionId}/mappings`);
  }

  async loadMappings() {
    if (!this.connectionId) return;
    this.mappings = await listAll(this.base);
    this.selectMapping(
      this.mappings.some((m) => m.id === this.selectedId) ? this.selectedId : this.mappings[0]?.id,
    );
  }

  selectMapping(id) {
    this.isNew = false;
    const mapping = this.mappings.find((m) => m.id === id);
    this.selectedId = mapping ? mapping.id : null;
    if (!mapping) {
      this.draft = null;
      return;
    }
    const draft = JSON.parse(JSON.stringify(mapping));
    for (const key of NOT_IN_DRAFT) delete draft[key];
    this.draft = draft;
    this.report = mapping.validation || null;
    this.dirty = false;
    this.scheduleValidation();
  }

  handleConnection(event) {
    this.connectionId = event.target.value;
    this.loadMappings();
  }

  handleTab(event) {
    const { id } = event.currentTarget.dataset;
    if (id !== 'new') this.selectMapping(id);
  }

  handleNewObject(event) {
    this.newObject = event.target.value.trim();
  }

  handleNewRecordType(event) {
    this.newRecordType = event.target.value;
  }

  /** A new object pair starts as a draft with no field; Save creates it once it is valid. */
  handleAddPair(event) {
    event.preventDefault();
    this.selectedId = null;
    this.isNew = true;
    this.draft = {
      salesforceObject: this.newObject,
      recordType: this.newRecordType,
      direction: 'bidirectional',
      conflictStrategy: 'salesforce_wins',
      schedule: { kind: 'manual' },
      filter: null,
      fields: [],
    };
    this.report = null;
    this.dirty = true;
    // The form is ready for the next pair once this one is saved.
    this.newObject = '';
    this.newRecordType = '';
    this.querySelector('#pair-object').value = '';
    this.scheduleValidation();
  }

  handleRemoveRequest() {
    this.removing = true;
  }

  handleRemoveCancel() {
    this.removing = false;
  }

  async handleRemoveConfirm() {
    const removed = this.mappings.find((m) => m.id === this.selectedId);
    this.removing = false;
    try {
      await request(`${this.base}/${this.selectedId}`, { method: 'DELETE' });
      this.mappings = this.mappings.filter((m) => m.id !== removed.id);
      this.selectMapping(this.mappings[0]?.id);
      showToast(this, {
        title: `${removed.salesforceObject} ↔ ${removed.recordType} removed`,
        message: 'Records and links stay; this pair no longer syncs.',
        variant: 'success',
      });
    } catch (error) {
      showToast(this, { title: 'Not removed', message: error.message, variant: 'error' });
    }
  }

  change(mutate) {
    const draft = JSON.parse(JSON.stringify(this.draft));
    mutate(draft);
    this.draft = draft;
    this.dirty = true;
    this.scheduleValidation();
  }

  handleMappingField(event) {
    const { name, value } = event.target;
    this.change((draft) => {
      if (name === 'filter') draft.filter = value.trim() ? value : null;
      else if (name === 'schedule') {
        draft.schedule = value === 'interval' ? { kind: 'interval', minutes: 60 } : { kind: value };
      } else if (name === 'minutes') draft.schedule = { kind: 'interval', minutes: Number(value) };
      else draft[name] = value;
    });
  }

  /** The field table's edit: the whole new field list. */
  handleFieldsChange(event) {
    const { fields } = event.detail;
    this.change((draft) => {
      draft.fields = fields;
    });
  }

  /** Match rules, deletes or auto push changed. */
  handleDraftChange(event) {
    const change = event.detail;
    this.change((draft) => Object.assign(draft, change));
  }

  scheduleValidation() {
    clearTimeout(this.timer);
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.timer = setTimeout(() => this.validate(), VALIDATE_DELAY_MS);
  }

  async validate() {
    if (!this.draft) return;
    this.validating = true;
    const sent = this.draft;
    try {
      // The draft stands in for the saved mapping it edits: naming it leaves that mapping out
      // of the "mapped more than once" comparison.
      const whole = wholeMapping(sent);
      const report = await request(`${this.base}/validate`, {
        method: 'POST',
        body: this.isNew ? whole : { ...whole, mappingId: this.selectedId },
      });
      if (sent === this.draft) this.report = report;
    } catch (error) {
      // A draft the API cannot even read (a malformed field name) is reported like a problem.
      if (sent === this.draft) {
        this.report = {
          valid: false,
          problems: [{ code: error.code, severity: 'error', message: error.message }],
        };
      }
    } finally {
      this.validating = false;
    }
  }

  async handleSave() {
    this.saving = true;
    try {
      const saved = this.isNew ? await this.create() : await this.update();
      this.dirty = false;
      this.isNew = false;
      this.selectedId = saved.id;
      showToast(this, { title: `${saved.salesforceObject} mapping saved`, variant: 'success' });
    } catch (error) {
      if (error.details?.report) this.report = error.details.report;
      showToast(this, { title: 'Not saved', message: error.message, variant: 'error' });
    } finally {
      this.saving = false;
    }
  }

  async create() {
    const saved = await request(this.base, { method: 'POST', body: wholeMapping(this.draft) });
    this.mappings = [...this.mappings, saved];
    return saved;
  }

  async update() {
    // The object itself is fixed once mapped: a PATCH carries everything else.
    // A draft without rules says so: `null` puts the saved mapping back on the default rules.
    const { salesforceObject, ...change } = this.draft;
    const saved = await request(`${this.base}/${this.selectedId}`, {
      method: 'PATCH',
      body: { ...change, matchRules: change.matchRules ?? null },
    });
    if (saved.salesforceObject !== salesforceObject) throw new Error('Unexpected mapping');
    this.mappings = this.mappings.map((m) => (m.id === saved.id ? saved : m));
    return saved;
  }

  handlePipelineName(event) {
    this.pipelineName = event.target.value;
  }

  get pipelineDisabled() {
    return !this.pipelineName.trim() || this.saving;
  }

  /** A pipeline record type whose stages are the org's Opportunity stages, ready to map. */
  async handleCreatePipeline(event) {
    event.preventDefault();
    const name = this.pipelineName.trim();
    const key = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^[^a-z]+|_+$/g, '')
      .slice(0, 60);
    this.saving = true;
    try {
      const created = await request(
        workspacePath(this.workspaceId, '/record-types/from-salesforce-stages'),
        {
          method: 'POST',
          body: { connectionId: this.connectionId, name, ...(key ? { key } : {}) },
        },
      );
      const stage = (created.attributes || []).find((attribute) => attribute.key === 'stage');
      const stages = stage?.options?.length ?? 0;
      showToast(this, {
        title: `Pipeline ${created.name} created`,
        message: `${stages} stages from Salesforce`,
        variant: 'success',
      });
      this.pipelineName = '';
      this.querySelector('#pipeline-name').value = '';
    } catch (error) {
      showToast(this, { title: 'No pipeline created', message: error.message, variant: 'error' });
    } finally {
      this.saving = false;
    }
  }

  handleRevert() {
    this.selectMapping(this.isNew ? this.mappings[0]?.id : this.selectedId);
  }

  /** Starting and cancelling jobs, editing mappings, settling conflicts need integrations:manage. */
  get canManage() {
    return can('integrations:manage');
  }

  get cannotManage() {
    return !can('integrations:manage');
  }

  get hasConnections() {
    return this.connections.length > 0;
  }

  get noConnections() {
    return this.connections.length === 0;
  }

  get connectionOptions() {
    return connectionOptions(this.connections, this.connectionId);
  }

  get tabs() {
    const pairs = this.mappings.map((m) => ({
      id: m.id,
      label: `${m.salesforceObject} ↔ ${m.recordType}`,
    }));
    if (this.isNew) {
      pairs.push({
        id: 'new',
        label: `${this.draft.salesforceObject} ↔ ${this.draft.recordType} (not saved)`,
      });
    }
    return pairs.map((m) => {
      const active = this.isNew ? m.id === 'new' : m.id === this.selectedId;
      return {
        id: m.id,
        label: m.label,
        className: active ? 'slds-tabs_default__item slds-is-active' : 'slds-tabs_default__item',
        ariaSelected: active ? 'true' : 'false',
        tabIndex: active ? '0' : '-1',
      };
    });
  }

  get hasDraft() {
    return Boolean(this.draft);
  }

  options(list, current) {
    return list.map((option) => ({ ...option, selected: option.value === current }));
  }

  /** Direction, what wins when both sides changed, and the schedule, side by side. */
  get settingSelects() {
    return [
      {
        name: 'direction',
        label: 'Direction',
        selectId: 'mapping-direction',
        options: this.options(DIRECTIONS, this.draft?.direction),
      },
      {
        name: 'conflictStrategy',
        label: 'When both sides changed',
        selectId: 'mapping-strategy',
        options: this.options(STRATEGIES, this.draft?.conflictStrategy),
      },
      {
        name: 'schedule',
        label: 'Schedule',
        selectId: 'mapping-schedule',
        options: this.options(SCHEDULES, this.draft?.schedule?.kind),
      },
    ];
  }

  get isInterval() {
    return this.draft?.schedule?.kind === 'interval';
  }

  get minutes() {
    return this.draft?.schedule?.minutes;
  }

  get filter() {
    return this.draft?.filter || '';
  }

  get problems() {
    return (this.report?.problems || []).map((problem, index) => ({
      key: `${problem.code}-${index}`,
      className: problem.severity === 'warning' ? 'slds-text-color_weak' : 'slds-text-color_error',
      severity: problem.severity === 'warning' ? 'Warning' : 'Error',
      text: `${problem.field || problem.attribute ? `${problem.field || problem.attribute}: ` : ''}${problem.message}`,
    }));
  }

  /** The attributes of the draft's record type. */
  get attributes() {
    return this.recordTypes.find((t) => t.key === this.draft?.recordType)?.attributes || [];
  }

  get recordTypeOptions() {
    return [
      { value: '', label: 'Choose…', selected: this.newRecordType === '' },
      ...this.recordTypes.map((t) => ({
        value: t.key,
        label: t.name,
        selected: t.key === this.newRecordType,
      })),
    ];
  }

  get addPairDisabled() {
    return !this.newObject || !this.newRecordType || this.isNew;
  }

  get canRemove() {
    return this.canManage && !this.isNew && Boolean(this.selectedId);
  }

  get selectedLabel() {
    const m = this.mappings.find((mapping) => mapping.id === this.selectedId);
    return m ? `${m.salesforceObject} ↔ ${m.recordType}` : '';
  }

  get removeLabel() {
    return `Remove ${this.selectedLabel}`;
  }

  get removeHeading() {
    return `${this.removeLabel}?`;
  }

  get saveLabel() {
    return this.isNew ? 'Save new pair' : 'Save';
  }

  get statusText() {
    if (this.validating) return 'Checking against the org…';
    if (!this.report) return '';
    const errors = (this.report.problems || []).filter((p) => p.severity !== 'warning').length;
    const warnings = (this.report.problems || []).length - errors;
    if (errors === 0)
      return warnings ? `Valid, with ${warnings} warning(s)` : 'Valid against the org';
    return `${errors} problem(s) to fix`;
  }

  get statusClass() {
    const errors = (this.report?.problems || []).some((p) => p.severity !== 'warning');
    return errors ? 'slds-badge slds-theme_error' : 'slds-badge slds-theme_success';
  }

  get saveDisabled() {
    const errors = (this.report?.problems || []).some((p) => p.severity !== 'warning');
    return !this.dirty || this.saving || errors;
  }

  get revertDisabled() {
    return !this.dirty;
  }
}
