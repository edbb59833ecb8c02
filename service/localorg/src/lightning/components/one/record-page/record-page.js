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

  // The focus stays inside the dialog while it is open, both ways, as SLDS modals keep it
  // (https://www.lightningdesignsystem.com/components/modals/) after the WAI-ARIA modal dialog
  // pattern (https://www.w3.org/WAI/ARIA/apg/patterns/dialog-modal/: Tab from the last focusable
  // element goes to the first, Shift+Tab from the first to the last). An edge element on each
  // side catches the focus as it leaves.
  wrapToFirst() {
    (this.dialogControls()[0] ?? this.dialog()).focus();
  }

  wrapToLast() {
    (this.dialogControls().at(-1) ?? this.dialog()).focus();
  }

  handleDialogKeydown(event) {
    if (event.key === 'Escape') {
      this.closeAction();
      return;
    }
    // The dialog itself has the focus once it opens: Shift+Tab from there goes to its last
    // control (the edge element before it is later in the page, not earlier).
    if (event.key === 'Tab' && event.shiftKey && event.target === event.currentTarget) {
      event.preventDefault();
      this.wrapToLast();
    }
  }

  dialog() {
    return this.template.querySelector('section[role="dialog"]');
  }

  /** The dialog's controls in focus order, inside the components it holds. */
  dialogControls() {
    return focusableIn(this.template.querySelector('.slds-modal__container'));
  }
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Focusable elements under `root` in the order the page shows them: through each component's
 * shadow root, and through each slot to what is slotted into it.
 */
function focusableIn(root) {
  const found = [];
  const visit = (element) => {
    if (element.matches(FOCUSABLE) && element.tabIndex >= 0) found.push(element);
    if (element.shadowRoot) {
      for (const child of element.shadowRoot.children) visit(child);
    } else if (element.tagName === 'SLOT') {
      for (const assigned of element.assignedElements()) visit(assigned);
    } else {
      for (const child of element.children) visit(child);
    }
  };
  if (root) visit(root);
  return found;
}
