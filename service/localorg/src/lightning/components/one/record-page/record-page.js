import { LightningElement } from 'lwc';
import { pageContext } from 'salesforce/context';

/**
 * A Lightning record page as the local org serves it at /lightning/r/<Object>/<Id>/view: the
 * record's highlights with the Push to Pryzm quick action, its details, and the package's
 * pryzmPushButton in the side column, as an admin would place it with Lightning App Builder.
 */
export default class RecordPage extends LightningElement {
  context = pageContext();
  actionOpen = false;
  focusDialog = false;
  focusOpener = false;

  constructor() {
    super();
    this.template.addEventListener('lightning__showtoast', (event) => {
      this.template.querySelector('one-toast-region').show(event.detail);
    });
    this.template.addEventListener('lightning__actionsclosescreen', () => this.closeAction());
  }

  get record() {
    return this.context.record;
  }

  get objectIcon() {
    return `standard:${this.record.objectApiName.toLowerCase()}`;
  }

  openAction() {
    this.actionOpen = true;
    this.focusDialog = true;
  }

  // Focus moves into the dialog when it opens and back to the button that opened it when it
  // closes, as Lightning's quick action dialogs do.
  renderedCallback() {
    if (this.focusDialog) {
      const dialog = this.template.querySelector('section[role="dialog"]');
      if (dialog) {
        this.focusDialog = false;
        dialog.focus();
      }
    }
    if (this.focusOpener && !this.actionOpen) {
      this.focusOpener = false;
      this.template.querySelector('.open-push-action').focus();
    }
  }

  closeAction() {
    if (!this.actionOpen) return;
    this.actionOpen = false;
    this.focusOpener = true;
  }

  // Tab past the dialog's last control comes back to the dialog, so the focus stays inside it
  // while it is open (SLDS modal guidance).
  wrapFocus() {
    this.template.querySelector('section[role="dialog"]').focus();
  }

  handleDialogKeydown(event) {
    if (event.key === 'Escape') this.closeAction();
  }
}
