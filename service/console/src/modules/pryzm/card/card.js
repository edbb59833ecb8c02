import { LightningElement, api } from 'lwc';

/**
 * A section of a page in SLDS's card (https://www.lightningdesignsystem.com/components/cards/):
 * the section's h2 (which also names the card for screen readers), a line under it, what acts
 * on the section at the header's right (`actions` slot: a button, a badge, a filter), and the
 * section's body in the default slot (a `slds-card__body` or a table that fills the card).
 */
export default class Card extends LightningElement {
  static renderMode = 'light';

  @api heading;
  /** The heading's id, unique on the page; the card is labelled by it. */
  @api headingId;
  @api description;
}
