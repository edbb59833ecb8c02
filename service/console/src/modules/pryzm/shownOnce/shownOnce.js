import { LightningElement, api } from 'lwc';

/**
 * A secret the API returns once (a key, a personal token, a webhook's signing secret): shown
 * with a Copy button and a warning that it will not be shown again, until the person is done.
 */
export default class ShownOnce extends LightningElement {
  static renderMode = 'light';

  @api heading;
  @api secret;
  /** What the secret is for, one sentence. */
  @api message;

  copied = false;

  async handleCopy() {
    try {
      await navigator.clipboard.writeText(this.secret);
      this.copied = true;
    } catch {
      // No clipboard (an insecure origin or a refused permission): the text stays selectable.
      this.copied = false;
    }
  }

  handleDone() {
    this.dispatchEvent(new CustomEvent('done'));
  }

  get copyLabel() {
    return this.copied ? 'Copied' : 'Copy';
  }
}
