import { LightningElement, api } from 'lwc';

/**
 * Stand-in for lightning-spinner: the SLDS spinner with its alternative text as a status.
 * https://developer.salesforce.com/docs/component-library/bundle/lightning-spinner/specification
 */
export default class Spinner extends LightningElement {
  @api alternativeText;
  @api size = 'medium';
  @api variant = 'brand';

  get spinnerClass() {
    const variant = this.variant === 'base' ? '' : ` slds-spinner_${this.variant}`;
    return `slds-spinner slds-spinner_${this.size}${variant}`;
  }
}
