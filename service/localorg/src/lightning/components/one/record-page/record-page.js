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

  // Focus moves into the dialog when it opens, as Lightning's quick action dialogs do.
  renderedCallback() {
    if (!this.focusDialog) return;
    const dialog = this.template.querySelector('section[role="dialog"]');
    if (dialog) {
      this.focusDialog = false;
      dialog.focus();
    }
  }

  closeAction() {
    this.actionOpen = false;
  }

  handleDialogKeydown(event) {
    if (event.key === 'Escape') this.closeAction();
  }
}
