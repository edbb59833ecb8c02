import { LightningElement, api } from 'lwc';

/** A page section drawn in `pryzm-card`, with an action and a body. */
export default class CardHost extends LightningElement {
  static renderMode = 'light';

  @api description = 'Seats per licence';
}
