import { LightningElement, api } from 'lwc';

const FIELD_COLUMNS = [
  { label: 'Pryzm attribute' },
  { label: 'Salesforce field' },
  { label: 'Direction' },
  { label: 'Read-only' },
  { label: 'Picklist values' },
  { label: 'Remove', assistive: true },
];

const DIRECTIONS = [
  { value: 'bidirectional', label: 'Both ways' },
  { value: 'pull', label: 'Salesforce → Pryzm' },
  { value: 'push', label: 'Pryzm → Salesforce' },
];

/** Attributes whose values are options: their field mappings may carry a picklist value map. */
const OPTION_TYPES = ['select', 'multi_select'];

const copy = (value) => JSON.parse(JSON.stringify(value));

/**
 * The field table of one object mapping: per field its Salesforce field, direction, read-only
 * flag and picklist value map (Salesforce value → Pryzm option), each with the API's validation
 * message next to it; rows added and removed. Every edit goes up as a `fieldschange` event with
 * the whole new field list; the mapping page keeps the draft and has it validated.
 */
export default class MappingFields extends LightningElement {
  static renderMode = 'light';

  /** The draft's field mappings. */
  @api fields = [];
  /** The API's validation report of the draft. */
  @api report;
  /** The record type's attributes (key, name, type, options). */
  @api attributes = [];
  @api disabled = false;

  /** Field rows whose value map is open for editing, by index. */
  open = new Set();
  newAttribute = '';
  newField = '';

  emit(mutate) {
    const fields = copy(this.fields || []);
    mutate(fields);
    this.dispatchEvent(new CustomEvent('fieldschange', { detail: { fields } }));
  }

  handleFieldChange(event) {
    const index = Number(event.target.dataset.index);
    const { name } = event.target;
    const value = event.target.type === 'checkbox' ? event.target.checked : event.target.value;
    this.emit((fields) => {
      fields[index][name] = value;
    });
  }

  handleRemove(event) {
    const index = Number(event.currentTarget.dataset.index);
    this.open = new Set();
    this.emit((fields) => fields.splice(index, 1));
  }

  handleToggleValues(event) {
    const index = Number(event.currentTarget.dataset.index);
    const open = new Set(this.open);
    if (open.has(index)) open.delete(index);
    else open.add(index);
    this.open = open;
  }

  handleValueChange(event) {
    const { index, pair, side } = event.target.dataset;
    this.emit((fields) => {
      fields[Number(index)].valueMap[Number(pair)][side] = event.target.value;
    });
  }

  handleAddValue(event) {
    const index = Number(event.currentTarget.dataset.index);
    const attribute = this.attributeOf(this.fields[index].attribute);
    this.emit((fields) => {
      const field = fields[index];
      field.valueMap = [
        ...(field.valueMap || []),
        { salesforce: '', pryzm: attribute?.options?.[0]?.value ?? '' },
      ];
    });
  }

  handleRemoveValue(event) {
    const { index, pair } = event.currentTarget.dataset;
    this.emit((fields) => {
      const field = fields[Number(index)];
      field.valueMap.splice(Number(pair), 1);
      if (field.valueMap.length === 0) delete field.valueMap;
    });
  }

  handleNewAttribute(event) {
    this.newAttribute = event.target.value;
  }

  handleNewField(event) {
    this.newField = event.target.value;
  }

  handleAdd(event) {
    event.preventDefault();
    const attribute = this.newAttribute;
    const salesforceField = this.newField.trim();
    this.emit((fields) => {
      fields.push({
        kind: 'field',
        attribute,
        salesforceField,
        direction: 'bidirectional',
        readOnly: false,
      });
    });
    this.newAttribute = '';
    this.newField = '';
    this.querySelector('#mapping-new-field').value = '';
  }

  attributeOf(key) {
    return (this.attributes || []).find((attribute) => attribute.key === key);
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

  get columns() {
    return FIELD_COLUMNS;
  }

  get rows() {
    return (this.fields || []).map((field, index) => {
      const problem = this.problemFor(field);
      const attribute = this.attributeOf(field.attribute);
      const hasOptions = field.kind === 'field' && OPTION_TYPES.includes(attribute?.type);
      const pairs = field.valueMap || [];
      const open = this.open.has(index);
      return {
        key: `${field.attribute}-${index}`,
        index,
        attribute: field.attribute,
        editable: field.kind !== 'full_name',
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
        directions: DIRECTIONS.map((d) => ({ ...d, selected: d.value === field.direction })),
        valueMap: pairs.map((pair) => `${pair.salesforce} → ${pair.pryzm}`).join(', '),
        hasOptions,
        open,
        expanded: open ? 'true' : 'false',
        toggleLabel: open ? 'Done' : `Edit values (${pairs.length})`,
        toggleAssistive: `picklist values of ${field.attribute}`,
        removeLabel: `Remove ${field.attribute}`,
        valuesKey: `${field.attribute}-${index}-values`,
        valuesLabel: `Picklist values of ${field.attribute}`,
        addValueLabel: `Add value to ${field.attribute}`,
        pairs: pairs.map((pair, p) => ({
          key: `${index}-${p}`,
          index,
          pair: p,
          salesforce: pair.salesforce,
          salesforceId: `field-${index}-value-${p}-salesforce`,
          salesforceLabel: `Salesforce value ${p + 1} of ${field.attribute}`,
          pryzmId: `field-${index}-value-${p}-pryzm`,
          pryzmLabel: `Pryzm option for value ${p + 1} of ${field.attribute}`,
          removeLabel: `Remove value ${p + 1} of ${field.attribute}`,
          options: (attribute?.options || []).map((option) => ({
            value: option.value,
            label: option.label || option.value,
            selected: option.value === pair.pryzm,
          })),
        })),
        problem: problem ? problem.message : '',
        errorId: `field-${index}-error`,
        cellClass: problem ? 'slds-form-element slds-has-error' : 'slds-form-element',
        describedBy: problem ? `field-${index}-error` : null,
      };
    });
  }

  /** Attributes of the record type no field maps yet (references need a lookup: not here). */
  get unmappedAttributes() {
    const mapped = new Set((this.fields || []).map((field) => field.attribute));
    return [
      { value: '', label: 'Choose…', selected: this.newAttribute === '' },
      ...(this.attributes || [])
        .filter((attribute) => !mapped.has(attribute.key) && attribute.type !== 'reference')
        .map((attribute) => ({
          value: attribute.key,
          label: `${attribute.name} (${attribute.key})`,
          selected: attribute.key === this.newAttribute,
        })),
    ];
  }

  get addDisabled() {
    return !this.newAttribute || !this.newField.trim();
  }

  get enabled() {
    return !this.disabled;
  }
}
