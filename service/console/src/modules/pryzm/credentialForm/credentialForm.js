import { LightningElement, api } from 'lwc';
import { ROLE_OPTIONS, expiresAtFor } from 'pryzm/keyInput';

/**
 * The form that creates an API key or a personal token: a name, a role (keys only) and an
 * expiry. It says `create` with `{ name, role?, expiresAt? }` as the API takes them; the page
 * sends the request, shows the secret once and calls `reset()` once the key exists.
 */
export default class CredentialForm extends LightningElement {
  static renderMode = 'light';

  /** Prefix of the controls' ids, unique on the page (`key`, `token`). */
  @api idPrefix;
  @api nameLabel;
  @api namePlaceholder;
  @api submitLabel;
  /** Keys have a role of their own; a personal token acts with its member's. */
  @api withRole = false;
  /** The expiry chosen at first (`never`, `90`…, see EXPIRY_OPTIONS). */
  @api defaultExpiry = 'never';

  name = '';
  role = 'admin';
  expiry;
  expiryDate = '';

  connectedCallback() {
    this.expiry = this.defaultExpiry;
  }

  /** Clears the name for the next one; role and expiry stay as chosen. */
  @api
  reset() {
    this.name = '';
    const input = this.querySelector(`#${this.nameId}`);
    if (input) input.value = '';
  }

  get nameId() {
    return `${this.idPrefix}-name`;
  }

  get roleId() {
    return `${this.idPrefix}-role`;
  }

  get roleOptions() {
    return ROLE_OPTIONS.map((option) => ({ ...option, selected: option.value === this.role }));
  }

  get createDisabled() {
    return !this.name.trim() || (this.expiry === 'date' && !this.expiryDate);
  }

  handleName(event) {
    this.name = event.target.value;
  }

  handleRole(event) {
    this.role = event.target.value;
  }

  handleExpiryChange(event) {
    ({ expiry: this.expiry, expiryDate: this.expiryDate } = event.detail);
  }

  handleSubmit(event) {
    event.preventDefault();
    const detail = { name: this.name.trim() };
    if (this.withRole) detail.role = this.role;
    const expiresAt = expiresAtFor(this.expiry, this.expiryDate);
    if (expiresAt) detail.expiresAt = expiresAt;
    this.dispatchEvent(new CustomEvent('create', { detail }));
  }
}
