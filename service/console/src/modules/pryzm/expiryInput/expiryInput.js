import { LightningElement, api } from 'lwc';
import { EXPIRY_OPTIONS, tomorrow } from 'pryzm/keyInput';

/**
 * The "Expires" choice of a new API key or personal token, and the date input when the choice is
 * a date. The page keeps the choice and the date and turns them into `expiresAt`
 * (`expiresAtFor`); this only shows them and announces each change as `expirychange`.
 */
export default class ExpiryInput extends LightningElement {
  static renderMode = 'light';

  /** Prefix of the inputs' ids, unique on the page (`key`, `token`). */
  @api idPrefix;
  /** The chosen `EXPIRY_OPTIONS` value. */
  @api expiry;
  /** `YYYY-MM-DD` when `expiry` is `date`. */
  @api expiryDate = '';

  get selectId() {
    return `${this.idPrefix}-expiry`;
  }

  get dateId() {
    return `${this.idPrefix}-expiry-date`;
  }

  get options() {
    return EXPIRY_OPTIONS.map((option) => ({ ...option, selected: option.value === this.expiry }));
  }

  get isDate() {
    return this.expiry === 'date';
  }

  get minDate() {
    return tomorrow();
  }

  handleExpiry(event) {
    event.stopPropagation();
    this.announce(event.target.value, this.expiryDate);
  }

  handleDate(event) {
    event.stopPropagation();
    this.announce(this.expiry, event.target.value);
  }

  announce(expiry, expiryDate) {
    this.dispatchEvent(new CustomEvent('expirychange', { detail: { expiry, expiryDate } }));
  }
}
