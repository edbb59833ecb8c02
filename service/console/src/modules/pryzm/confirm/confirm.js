import { LightningElement, api } from 'lwc';

/**
 * A confirmation before something that cannot be undone (revoke, remove, delete, disconnect):
 * a `pryzm-modal` prompt whose question goes in the default slot, with Cancel (focused first, so
 * Enter does not destroy anything by accident) and the destructive action named by
 * `confirm-label`. It says `cancel` (Cancel, Escape) or `confirm`; the page removes it then.
 */
export default class Confirm extends LightningElement {
  static renderMode = 'light';

  /** The question, e.g. "Revoke CI reader?"; it also names the dialog. */
  @api heading;
  /** The destructive button's label, e.g. "Revoke". */
  @api confirmLabel;

  handleCancel() {
    this.dispatchEvent(new CustomEvent('cancel'));
  }

  handleConfirm() {
    this.dispatchEvent(new CustomEvent('confirm'));
  }
}
