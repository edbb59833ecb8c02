import { LightningElement, api } from 'lwc';
import { activeConnections, can, listAll, request, workspacePath } from 'pryzm/api';
import { showToast } from 'pryzm/toast';

const DIRECTIONS = [
  { value: 'bidirectional', label: 'Both ways' },
  { value: 'pull', label: 'Salesforce → Pryzm' },
  { value: 'push', label: 'Pryzm → Salesforce' },
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

  async connectedCallback() {
    try {
      this.connections = await activeConnections(this.workspaceId);
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
    this.selectMapping(event.currentTarget.dataset.id);
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

  handleFieldChange(event) {
    const index = Number(event.target.dataset.index);
    const { name } = event.target;
    const value = event.target.type === 'checkbox' ? event.target.checked : event.target.value;
    this.change((draft) => {
      draft.fields[index][name] = value;
    });
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
      const report = await request(`${this.base}/validate`, {
        method: 'POST',
        body: { ...sent, mappingId: this.selectedId },
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
      // The object itself is fixed once mapped: a PATCH carries everything else.
      const { salesforceObject, ...change } = this.draft;
      const saved = await request(`${this.base}/${this.selectedId}`, {
        method: 'PATCH',
        body: change,
      });
      if (saved.salesforceObject !== salesforceObject) throw new Error('Unexpected mapping');
      this.mappings = this.mappings.map((m) => (m.id === saved.id ? saved : m));
      this.dirty = false;
      showToast(this, { title: `${saved.salesforceObject} mapping saved`, variant: 'success' });
    } catch (error) {
      if (error.details?.report) this.report = error.details.report;
      showToast(this, { title: 'Not saved', message: error.message, variant: 'error' });
    } finally {
      this.saving = false;
    }
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
    this.selectMapping(this.selectedId);
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
    return this.connections.map((c) => ({
      id: c.id,
      label: c.orgName || c.label,
      selected: c.id === this.connectionId,
    }));
  }

  get tabs() {
    return this.mappings.map((m) => {
      const active = m.id === this.selectedId;
      return {
        id: m.id,
        label: `${m.salesforceObject} ↔ ${m.recordType}`,
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

  get directionOptions() {
    return this.options(DIRECTIONS, this.draft?.direction);
  }

  get strategyOptions() {
    return this.options(STRATEGIES, this.draft?.conflictStrategy);
  }

  get scheduleOptions() {
    return this.options(
      [
        { value: 'manual', label: 'On demand' },
        { value: 'interval', label: 'Every few minutes' },
        { value: 'realtime', label: 'Real time' },
      ],
      this.draft?.schedule?.kind,
    );
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

  problemFor(field) {
    const names = [
      field.salesforceField,
      field.firstNameField,
      field.lastNameField,
      field.attribute,
    ];
    return (this.report?.problems || []).find(
      (problem) =>
        problem.severity !== 'warning' &&
        (names.includes(problem.field) ||
          (problem.attribute && problem.attribute === field.attribute)),
    );
  }

  get fieldRows() {
    return (this.draft?.fields || []).map((field, index) => {
      const problem = this.problemFor(field);
      const editable = field.kind !== 'full_name';
      return {
        key: `${field.attribute}-${index}`,
        index,
        attribute: field.attribute,
        kind: field.kind,
        editable,
        salesforceField:
          field.kind === 'full_name'
            ? `${field.firstNameField} + ${field.lastNameField}`
            : field.salesforceField,
        inputId: `field-${index}-salesforce`,
        inputLabel: `Salesforce field for ${field.attribute}`,
        directionId: `field-${index}-direction`,
        directionLabel: `Direction of ${field.attribute}`,
        readOnlyId: `field-${index}-read-only`,
        readOnlyLabel: `${field.attribute} is read-only in Pryzm`,
        readOnly: Boolean(field.readOnly),
        directions: this.options(DIRECTIONS, field.direction),
        valueMap: (field.valueMap || [])
          .map((pair) => `${pair.salesforce} → ${pair.pryzm}`)
          .join(', '),
        problem: problem ? problem.message : '',
        errorId: `field-${index}-error`,
        cellClass: problem ? 'slds-form-element slds-has-error' : 'slds-form-element',
        describedBy: problem ? `field-${index}-error` : null,
      };
    });
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
