import { LightningElement, api } from 'lwc';

/**
 * A page that asks before revoking, as the console's pages do: it renders `pryzm-confirm` with its
 * question once opened, and removes it on either answer, which `answers` lists in order.
 */
export default class ConfirmHost extends LightningElement {
  static renderMode = 'light';

  isOpen = false;
  received = [];

  @api
  get open() {
    return this.isOpen;
  }
  set open(value) {
    this.isOpen = value;
  }

  @api
  get answers() {
    return [...this.received];
  }

  handleCancel() {
    this.received.push('cancel');
    this.isOpen = false;
  }

  handleConfirm() {
    this.received.push('confirm');
    this.isOpen = false;
  }
}
