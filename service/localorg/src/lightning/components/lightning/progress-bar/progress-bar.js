import { LightningElement, api } from 'lwc';

/**
 * Stand-in for lightning-progress-bar: the SLDS progress bar with its value for assistive
 * technology (role progressbar, aria-valuenow).
 * https://developer.salesforce.com/docs/component-library/bundle/lightning-progress-bar/specification
 */
export default class ProgressBar extends LightningElement {
  @api value = 0;
  @api size = 'medium';
  @api variant = 'base';
  @api label;

  get clamped() {
    const number = Number(this.value);
    return Number.isFinite(number) ? Math.min(100, Math.max(0, number)) : 0;
  }

  get barClass() {
    const circular = this.variant === 'circular' ? ' slds-progress-bar_circular' : '';
    return `slds-progress-bar slds-progress-bar_${this.size}${circular}`;
  }

  get valueStyle() {
    return `width: ${this.clamped}%`;
  }

  get accessibleName() {
    return this.label || `Progress: ${this.clamped}%`;
  }
}
