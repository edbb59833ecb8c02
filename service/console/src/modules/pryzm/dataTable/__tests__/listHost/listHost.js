import { LightningElement, api } from 'lwc';

/** A page as the console's pages use `pryzm-data-table`: its rows in the table's slot. */
export default class ListHost extends LightningElement {
  static renderMode = 'light';

  @api columns = [];
  @api rows = [];

  get isEmpty() {
    return this.rows.length === 0;
  }
}
