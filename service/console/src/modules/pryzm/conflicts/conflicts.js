import { LightningElement, api } from 'lwc';
import { can, formatDate, listAll, request, valueText, workspacePath } from 'pryzm/api';
import { showToast } from 'pryzm/toast';

const FIELD_COLUMNS = [
  { label: 'Field' },
  { label: 'At the last sync' },
  { label: 'Salesforce' },
  { label: 'Pryzm' },
];

/**
 * Conflicts a pull left for a person: base, Salesforce and Pryzm values side by side, one choice
 * per field, applied to both sides at once.
 */
export default class Conflicts extends LightningElement {
  static renderMode = 'light';

  @api workspaceId;

  conflicts = [];
  selectedId = null;
  choices = {};
  loading = true;
  busy = false;

  connectedCallback() {
    this.load();
  }

  async load() {
    try {
      const all = await listAll(workspacePath(this.workspaceId, '/conflicts'));
      this.conflicts = all.filter((conflict) => conflict.status === 'open');
      if (!this.conflicts.some((c) => c.id === this.selectedId)) {
        this.select(this.conflicts[0]?.id ?? null);
      }
    } catch (error) {
      showToast(this, {
        title: 'Could not load conflicts',
        message: error.message,
        variant: 'error',
      });
    } finally {
      this.loading = false;
    }
  }

  select(id) {
    this.selectedId = id;
    this.choices = {};
  }

  handleSelect(event) {
    this.select(event.currentTarget.dataset.id);
  }

  handleChoice(event) {
    this.choices = {
      ...this.choices,
      [event.target.name.replace(/^choice-/, '')]: event.target.value,
    };
  }

  get fieldColumns() {
    return FIELD_COLUMNS;
  }

  get selected() {
    return this.conflicts.find((c) => c.id === this.selectedId) || null;
  }

  get items() {
    return this.conflicts.map((conflict) => ({
      id: conflict.id,
      title: `${conflict.salesforceObject} ${conflict.salesforceId}`,
      subtitle: `${conflict.fields.length} field(s) · ${formatDate(conflict.createdAt)}`,
      className:
        conflict.id === this.selectedId
          ? 'slds-nav-vertical__item slds-is-active'
          : 'slds-nav-vertical__item',
      ariaCurrent: conflict.id === this.selectedId ? 'true' : null,
    }));
  }

  get fields() {
    const conflict = this.selected;
    if (!conflict) return [];
    return conflict.fields.map((field) => {
      const choice = this.choices[field.attribute];
      return {
        attribute: field.attribute,
        name: `choice-${field.attribute}`,
        base: valueText(field.base),
        choices: [
          {
            value: 'salesforce',
            id: `choice-${field.attribute}-salesforce`,
            text: valueText(field.salesforce),
            checked: choice === 'salesforce',
            ariaLabel: `Keep Salesforce’s value for ${field.attribute}`,
          },
          {
            value: 'pryzm',
            id: `choice-${field.attribute}-pryzm`,
            text: valueText(field.pryzm),
            checked: choice === 'pryzm',
            ariaLabel: `Keep Pryzm’s value for ${field.attribute}`,
          },
        ],
      };
    });
  }

  /** Starting and cancelling jobs, editing mappings, settling conflicts need integrations:manage. */
  get canManage() {
    return can('integrations:manage');
  }

  get cannotManage() {
    return !can('integrations:manage');
  }

  get hasConflicts() {
    return this.conflicts.length > 0;
  }

  get isEmpty() {
    return !this.loading && this.conflicts.length === 0;
  }

  get applyDisabled() {
    return this.busy || Object.keys(this.choices).length === 0;
  }

  get heading() {
    const conflict = this.selected;
    return conflict ? `${conflict.salesforceObject} ${conflict.salesforceId}` : '';
  }

  async handleApply() {
    this.busy = true;
    try {
      await request(workspacePath(this.workspaceId, `/conflicts/${this.selectedId}/resolve`), {
        method: 'POST',
        body: { choices: this.choices },
      });
      showToast(this, {
        title: 'Conflict resolved',
        message: 'The chosen values are now in Pryzm and in Salesforce.',
        variant: 'success',
      });
      await this.load();
    } catch (error) {
      showToast(this, { title: 'Could not resolve', message: error.message, variant: 'error' });
    } finally {
      this.busy = false;
    }
  }
}
