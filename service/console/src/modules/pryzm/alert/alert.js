import { LightningElement, api } from 'lwc';

/**
 * An error the page could not recover from by itself, in SLDS's error alert
 * (https://www.lightningdesignsystem.com/components/alert/). Nothing is drawn while `message` is
 * empty, so the `role="alert"` region appears with its text and screen readers announce it.
 */
export default class Alert extends LightningElement {
  static renderMode = 'light';

  @api message;
  /** Extra SLDS utility classes, e.g. `slds-m-bottom_small` inside a form. */
  @api spacing;

  get alertClass() {
    const base = 'slds-notify slds-notify_alert slds-alert_error';
    return this.spacing ? `${base} ${this.spacing}` : base;
  }
}
