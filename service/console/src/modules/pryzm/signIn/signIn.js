import { LightningElement, api } from 'lwc';
import { request } from 'pryzm/api';

/**
 * Sign in with a workspace API key or the operator's admin token (`service/data/admin-token`).
 * The token is checked by listing the workspaces it may see, then handed to the shell.
 */
export default class SignIn extends LightningElement {
  static renderMode = 'light';

  /** Why a one-time sign-in link did not work, if one was tried. */
  @api linkError = '';
  /** Why the console signed out by itself (e.g. the key it used was revoked from it). */
  @api notice = '';

  error = '';
  busy = false;

  async handleSubmit(event) {
    event.preventDefault();
    const token = this.querySelector('#signin-token').value.trim();
    if (!token) {
      this.error = 'Enter an API key or the admin token.';
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      await request('/session', { token });
      this.dispatchEvent(new CustomEvent('signedin', { detail: { token } }));
    } catch (error) {
      this.error =
        error.status === 401 ? 'This token is not valid, or it was revoked.' : error.message;
    } finally {
      this.busy = false;
    }
  }

  get hasError() {
    return Boolean(this.error);
  }

  get fieldClass() {
    return this.error ? 'slds-form-element slds-has-error' : 'slds-form-element';
  }
}
