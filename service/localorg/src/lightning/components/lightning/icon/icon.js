import { LightningElement, api } from 'lwc';
import { iconHref } from 'salesforce/assets';

// SLDS colours utility icons by variant; other sprites carry their own background colour.
const TEXT_VARIANTS = {
  success: 'success',
  warning: 'warning',
  error: 'error',
  inverse: 'default',
};
const SIZES = { 'xx-small': 'xx-small', 'x-small': 'x-small', small: 'small', large: 'large' };

/**
 * Stand-in for lightning-icon: an SLDS sprite icon (`utility:upload`, `custom:custom19`) with
 * its size, variant and alternative text, drawn from the SLDS sprites the local org serves.
 * https://developer.salesforce.com/docs/component-library/bundle/lightning-icon/specification
 */
export default class Icon extends LightningElement {
  @api iconName;
  @api size = 'medium';
  @api variant;
  @api alternativeText;
  @api title;

  get sprite() {
    return (this.iconName || '').split(':')[0];
  }

  get symbol() {
    return (this.iconName || '').split(':')[1];
  }

  get href() {
    return iconHref(this.sprite, this.symbol);
  }

  get isUtility() {
    return this.sprite === 'utility';
  }

  get containerClass() {
    const classes = ['slds-icon_container'];
    if (this.isUtility) classes.push(`slds-icon-utility-${this.symbol}`);
    else classes.push(`slds-icon-${this.sprite}-${(this.symbol || '').replace(/_/g, '-')}`);
    return classes.join(' ');
  }

  get iconClass() {
    const classes = ['slds-icon'];
    const size = SIZES[this.size];
    if (size) classes.push(`slds-icon_${size}`);
    if (this.isUtility) {
      const tone = TEXT_VARIANTS[this.variant] || 'default';
      classes.push(`slds-icon-text-${tone}`);
    }
    return classes.join(' ');
  }
}
