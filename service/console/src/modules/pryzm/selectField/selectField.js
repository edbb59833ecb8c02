import { LightningElement, api } from 'lwc';

/**
 * A select with its label, in SLDS's select markup
 * (https://www.lightningdesignsystem.com/components/select/). The select's own `change` event
 * reaches the page (light DOM: nothing retargets it), so a page listens with `onchange` on this
 * element and reads `event.target.value`, `.name` and `.dataset.index` as from a plain select.
 */
export default class SelectField extends LightningElement {
  static renderMode = 'light';

  @api label;
  /** A longer name for screen readers than the visible label, e.g. with the row it belongs to. */
  @api assistiveLabel;
  /** The select's id, unique on the page; the label points at it. */
  @api selectId;
  /** `[{ value, label, selected }]`; `id` stands for `value` where a list is of records. */
  @api options;
  /** The select's name, for pages that route every field's change through one handler. */
  @api name;
  @api disabled = false;
  /** A row's index, as `data-index` on the select. */
  @api index;
  /** The id of the record the select edits, as `data-id` on the select. */
  @api itemId;
  /** Which draft field the select edits, as `data-field` on the select. */
  @api field;
  /** The label only for screen readers, where a table's column already says what the select is. */
  @api labelHidden = false;
  /** The control a dialog focuses first (`pryzm-modal` looks for `data-autofocus`). */
  @api focusFirst = false;

  get choices() {
    return (this.options || []).map((option) => ({
      value: option.value ?? option.id,
      label: option.label,
      selected: Boolean(option.selected),
    }));
  }

  get formElementClass() {
    return this.labelHidden ? 'pryzm-select-bare' : 'slds-form-element';
  }

  get labelClass() {
    return this.labelHidden ? 'slds-assistive-text' : 'slds-form-element__label';
  }

  get autofocusMark() {
    return this.focusFirst ? '' : undefined;
  }
}
