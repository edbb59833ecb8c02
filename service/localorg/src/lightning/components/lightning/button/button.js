import { LightningElement, api } from 'lwc';
import { iconHref } from 'salesforce/assets';

/**
 * Stand-in for lightning-button: an SLDS button with a label, variant and optional icon. Clicks
 * reach the host element, where a parent's onclick handler listens, as with the real component;
 * a disabled button sends none.
 * https://developer.salesforce.com/docs/component-library/bundle/lightning-button/specification
 */
export default class Button extends LightningElement {
  @api label;
  @api title;
  @api variant = 'neutral';
  @api iconName;
  @api iconPosition = 'left';
  @api type = 'button';
  @api name;
  @api value;
  @api disabled = false;

  get buttonClass() {
    const variant = this.variant === 'base' ? '' : `slds-button_${this.variant || 'neutral'}`;
    return `slds-button ${variant}`.trim();
  }

  get iconHref() {
    const [sprite, symbol] = (this.iconName || '').split(':');
    return iconHref(sprite, symbol);
  }

  get iconLeft() {
    return !!this.iconName && this.iconPosition !== 'right';
  }

  get iconRight() {
    return !!this.iconName && this.iconPosition === 'right';
  }

  @api
  focus() {
    this.template.querySelector('button').focus();
  }
}
