import { LightningElement, api } from 'lwc';

let cardCount = 0;

/**
 * Stand-in for lightning-card: an SLDS card with an icon, a title, an actions slot, a body and
 * a footer. The article is labelled by its title, so assistive technology names the region.
 * https://developer.salesforce.com/docs/component-library/bundle/lightning-card/specification
 */
export default class Card extends LightningElement {
  @api title;
  @api iconName;
  @api variant;

  titleId = `card-title-${++cardCount}`;
  hasFooter = false;

  // The footer shows only when something is slotted into it, as the real card's does.
  get footerClass() {
    return this.hasFooter ? 'slds-card__footer' : 'slds-card__footer slds-hide';
  }

  handleFooterChange(event) {
    this.hasFooter = event.target.assignedNodes().length > 0;
  }
}
