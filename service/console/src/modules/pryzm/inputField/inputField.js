import { LightningElement, api } from 'lwc';

/**
 * A text, email, search or number input with its label, in SLDS's input markup
 * (https://www.lightningdesignsystem.com/components/input/); a required one is marked with SLDS's
 * asterisk. The input's own `input` and `change` events reach the page (light DOM), which reads
 * `event.target.value`, `.name` and `.dataset.field` as from a plain input.
 */
export default class InputField extends LightningElement {
  static renderMode = 'light';

  @api label;
  /** A longer name for screen readers than the visible label, e.g. with the row it belongs to. */
  @api assistiveLabel;
  /** The input's id, unique on the page; the label points at it. */
  @api inputId;
  /** `text` (the default), `email`, `search` or `number`. */
  @api type;
  @api name;
  @api value;
  @api min;
  @api max;
  @api maxLength;
  @api placeholder;
  @api autocomplete;
  @api required = false;
  @api disabled = false;
  /** No asterisk on a required input, in a form whose every field is required. */
  @api plainLabel = false;
  /** Which draft field the input edits, as `data-field` on the input. */
  @api field;
  /** The label only for screen readers, where a row or a placeholder already shows what it is. */
  @api labelHidden = false;
  /** The control a dialog focuses first (`pryzm-modal` looks for `data-autofocus`). */
  @api focusFirst = false;

  get inputType() {
    return this.type || 'text';
  }

  get formElementClass() {
    return this.labelHidden ? 'pryzm-input-bare' : 'slds-form-element';
  }

  get labelClass() {
    return this.labelHidden ? 'slds-assistive-text' : 'slds-form-element__label';
  }

  get markRequired() {
    return this.required && !this.plainLabel;
  }

  get autofocusMark() {
    return this.focusFirst ? '' : undefined;
  }
}
