import { LightningElement, api } from 'lwc';
import { WEBHOOK_EVENTS } from 'pryzm/webhookText';

const OPERATORS = [
  { value: 'eq', label: 'equals' },
  { value: 'ne', label: 'does not equal' },
  { value: 'gt', label: 'greater than' },
  { value: 'gte', label: 'at least' },
  { value: 'lt', label: 'less than' },
  { value: 'lte', label: 'at most' },
  { value: 'in', label: 'is one of' },
  { value: 'contains', label: 'contains' },
  { value: 'exists', label: 'has a value' },
];

let conditionKey = 0;

/**
 * A value as typed: `50000` and `true` compare as a number and a boolean, `"50000"` (quoted) and
 * anything else as text; `in` takes a comma-separated list.
 */
function parseScalar(text) {
  const trimmed = text.trim();
  if (/^".*"$/.test(trimmed)) return trimmed.slice(1, -1);
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  return trimmed;
}

function formatScalar(value) {
  if (typeof value === 'string' && value.trim() !== '' && parseScalar(value) !== value) {
    return `"${value}"`;
  }
  return value === null || value === undefined ? '' : String(value);
}

function toDraftCondition(condition) {
  conditionKey += 1;
  const value = Array.isArray(condition.value)
    ? condition.value.map(formatScalar).join(', ')
    : formatScalar(condition.value);
  return {
    key: `c${conditionKey}`,
    attribute: condition.attribute || '',
    op: condition.op || 'eq',
    value,
  };
}

/**
 * Creates or edits a webhook subscription: target URL, description, event types, enabled, and a
 * filter on values (all or any of a list of conditions). Emits `save` with the API's body, or
 * `cancel`; the page around it talks to the API.
 */
export default class WebhookForm extends LightningElement {
  static renderMode = 'light';

  /** The subscription being edited; none for a new one. */
  @api webhook;
  /** A message from the API to show above the form (e.g. a refused private URL). */
  @api error;

  url = '';
  description = '';
  events = ['record.created', 'record.updated'];
  enabled = true;
  match = 'all';
  conditions = [];

  connectedCallback() {
    const hook = this.webhook;
    if (!hook) return;
    this.url = hook.url;
    this.description = hook.description || '';
    this.events = [...hook.events];
    this.enabled = hook.enabled;
    if (hook.filter) {
      this.match = hook.filter.any ? 'any' : 'all';
      this.conditions = (hook.filter.any || hook.filter.all || []).map(toDraftCondition);
    }
  }

  get eventOptions() {
    return WEBHOOK_EVENTS.map((event) => ({
      ...event,
      id: `webhook-event-${event.value.replace('.', '-')}`,
      checked: this.events.includes(event.value),
    }));
  }

  get matchOptions() {
    return [
      { value: 'all', label: 'all conditions hold', selected: this.match === 'all' },
      { value: 'any', label: 'any condition holds', selected: this.match === 'any' },
    ];
  }

  get conditionRows() {
    return this.conditions.map((condition, index) => ({
      ...condition,
      number: index + 1,
      attributeId: `condition-attribute-${condition.key}`,
      opId: `condition-op-${condition.key}`,
      valueId: `condition-value-${condition.key}`,
      attributeLabel: `Attribute of condition ${index + 1}`,
      opLabel: `Comparison of condition ${index + 1}`,
      valueLabel: `Value of condition ${index + 1}`,
      removeLabel: `Remove condition ${index + 1}`,
      needsValue: condition.op !== 'exists',
      operators: OPERATORS.map((op) => ({ ...op, selected: op.value === condition.op })),
    }));
  }

  get hasConditions() {
    return this.conditions.length > 0;
  }

  /** The API replaces a filter but never removes one (README, "Webhooks"). */
  get filterCannotBeRemoved() {
    return Boolean(this.webhook?.filter) && !this.filterBody();
  }

  get saveDisabled() {
    return !this.url.trim() || this.events.length === 0;
  }

  handleUrl(event) {
    this.url = event.target.value;
  }

  handleDescription(event) {
    this.description = event.target.value;
  }

  handleEnabled(event) {
    this.enabled = event.target.checked;
  }

  handleEvent(event) {
    const { value, checked } = event.target;
    this.events = checked
      ? [...new Set([...this.events, value])]
      : this.events.filter((type) => type !== value);
  }

  handleMatch(event) {
    this.match = event.target.value;
  }

  addCondition() {
    this.conditions = [...this.conditions, toDraftCondition({})];
    Promise.resolve().then(() => {
      const inputs = this.querySelectorAll('[data-field="attribute"]');
      inputs[inputs.length - 1]?.focus();
    });
  }

  handleCondition(event) {
    // The condition's controls sit in pryzm-input-field and pryzm-select-field; its row says which.
    const { key } = event.target.closest('[data-condition]').dataset;
    const { field } = event.target.dataset;
    const { value } = event.target;
    this.conditions = this.conditions.map((condition) => {
      if (condition.key !== key) return condition;
      return { ...condition, [field]: value };
    });
  }

  removeCondition(event) {
    const { key } = event.currentTarget.dataset;
    this.conditions = this.conditions.filter((condition) => condition.key !== key);
  }

  /** The filter as the API takes it; undefined when there is no complete condition. */
  filterBody() {
    const conditions = this.conditions
      .filter((condition) => condition.attribute.trim())
      .map((condition) => {
        const attribute = condition.attribute.trim();
        if (condition.op === 'exists') return { attribute, op: 'exists' };
        if (condition.op === 'in') {
          const values = condition.value.split(',').filter((part) => part.trim() !== '');
          return { attribute, op: 'in', value: values.map(parseScalar) };
        }
        if (condition.op === 'contains') {
          return { attribute, op: 'contains', value: condition.value.trim() };
        }
        return { attribute, op: condition.op, value: parseScalar(condition.value) };
      });
    return conditions.length ? { [this.match]: conditions } : undefined;
  }

  handleSubmit(event) {
    event.preventDefault();
    const body = { url: this.url.trim(), events: this.events, enabled: this.enabled };
    if (this.description.trim()) body.description = this.description.trim();
    const filter = this.filterBody();
    if (filter) body.filter = filter;
    this.dispatchEvent(new CustomEvent('save', { detail: { body } }));
  }
}
