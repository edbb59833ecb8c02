import { LightningElement, api } from 'lwc';

/** How values are compared when records are matched on first sync (the API's normalisers). */
const NORMALISERS = [
  { value: 'email', label: 'Email address' },
  { value: 'company_name', label: 'Company name' },
  { value: 'domain', label: 'Web domain' },
  { value: 'phone', label: 'Phone number' },
  { value: 'text', label: 'Text (case and accents ignored)' },
  { value: 'exact', label: 'Exact' },
];

const DELETES = {
  fromSalesforce: [
    { value: 'propagate', label: 'Delete the Pryzm record' },
    { value: 'ignore', label: 'Keep the Pryzm record' },
  ],
  fromPryzm: [
    { value: 'ignore', label: 'Keep the Salesforce record' },
    { value: 'propagate', label: 'Delete the Salesforce record' },
  ],
};

/** What the API uses when a mapping names no delete settings. */
const DEFAULT_DELETES = { fromSalesforce: 'propagate', fromPryzm: 'ignore' };

const copy = (value) => JSON.parse(JSON.stringify(value ?? null));

/**
 * How an object mapping behaves beyond its fields: the match rules tried on first sync (each
 * rule a set of parts that must all be equal), what a delete on either side does, and whether
 * Pryzm changes are pushed by themselves. Edits go up as a `draftchange` event carrying the
 * changed properties of the mapping.
 */
export default class MappingRules extends LightningElement {
  static renderMode = 'light';

  /** `undefined` when the mapping uses the default rules for its object. */
  @api matchRules;
  @api deletes;
  @api autoPush = false;
  @api attributes = [];
  @api disabled = false;

  emit(change) {
    this.dispatchEvent(new CustomEvent('draftchange', { detail: change }));
  }

  editRules(mutate) {
    const rules = copy(this.matchRules) || [];
    mutate(rules);
    this.emit({ matchRules: rules });
  }

  handleCustomise() {
    this.emit({ matchRules: [] });
  }

  /** Back to the object's default rules: saved as `"matchRules": null`. */
  handleUseDefaults() {
    this.emit({ matchRules: null });
  }

  handleAddRule() {
    this.editRules((rules) =>
      rules.push({
        parts: [{ salesforceField: '', attribute: this.firstAttribute, normaliser: 'exact' }],
      }),
    );
  }

  handleRemoveRule(event) {
    const rule = Number(event.currentTarget.dataset.rule);
    this.editRules((rules) => rules.splice(rule, 1));
  }

  handleAddPart(event) {
    const rule = Number(event.currentTarget.dataset.rule);
    this.editRules((rules) =>
      rules[rule].parts.push({
        salesforceField: '',
        attribute: this.firstAttribute,
        normaliser: 'exact',
      }),
    );
  }

  handleRemovePart(event) {
    const { rule, part } = event.currentTarget.dataset;
    this.editRules((rules) => {
      rules[Number(rule)].parts.splice(Number(part), 1);
      if (rules[Number(rule)].parts.length === 0) rules.splice(Number(rule), 1);
    });
  }

  handlePart(event) {
    // The part's controls sit in pryzm-input-field and pryzm-select-field; its row says which.
    const { rule, part } = event.target.closest('.pryzm-match-part').dataset;
    this.editRules((rules) => {
      rules[Number(rule)].parts[Number(part)][event.target.name] = event.target.value;
    });
  }

  handleDeletes(event) {
    this.emit({
      deletes: { ...DEFAULT_DELETES, ...this.deletes, [event.target.name]: event.target.value },
    });
  }

  handleAutoPush(event) {
    this.emit({ autoPush: event.target.checked });
  }

  get firstAttribute() {
    return this.attributes?.[0]?.key ?? '';
  }

  get usesDefaults() {
    return this.matchRules === undefined || this.matchRules === null;
  }

  get customRules() {
    return !this.usesDefaults;
  }

  get noRules() {
    return this.customRules && this.matchRules.length === 0;
  }

  get rules() {
    return (this.matchRules || []).map((rule, r) => ({
      key: `rule-${r}`,
      index: r,
      title: `Rule ${r + 1}`,
      titleId: `match-rule-${r}`,
      removeLabel: `Remove rule ${r + 1}`,
      addPartLabel: `Add part to rule ${r + 1}`,
      parts: rule.parts.map((part, p) => {
        const name = `rule ${r + 1}, part ${p + 1}`;
        return {
          key: `rule-${r}-part-${p}`,
          rule: r,
          part: p,
          salesforceField: part.salesforceField,
          fieldId: `match-${r}-${p}-field`,
          fieldLabel: `Salesforce field of ${name}`,
          attributeId: `match-${r}-${p}-attribute`,
          attributeLabel: `Pryzm attribute of ${name}`,
          normaliserId: `match-${r}-${p}-normaliser`,
          normaliserLabel: `Compared as, ${name}`,
          removeLabel: `Remove ${name}`,
          attributes: (this.attributes || []).map((a) => ({
            value: a.key,
            label: a.name,
            selected: a.key === part.attribute,
          })),
          normalisers: NORMALISERS.map((n) => ({ ...n, selected: n.value === part.normaliser })),
        };
      }),
    }));
  }

  deleteOptions(side) {
    const current = this.deletes?.[side] ?? DEFAULT_DELETES[side];
    return DELETES[side].map((option) => ({ ...option, selected: option.value === current }));
  }

  get fromSalesforceOptions() {
    return this.deleteOptions('fromSalesforce');
  }

  get fromPryzmOptions() {
    return this.deleteOptions('fromPryzm');
  }

  get autoPushChecked() {
    return Boolean(this.autoPush);
  }

  get enabled() {
    return !this.disabled;
  }
}
