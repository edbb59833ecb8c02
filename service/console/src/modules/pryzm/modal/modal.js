import { LightningElement, api } from 'lwc';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

let modalCount = 0;

/**
 * An SLDS modal (https://www.lightningdesignsystem.com/components/modals/) with the behaviour
 * WAI-ARIA asks of a modal dialog (https://www.w3.org/WAI/ARIA/apg/patterns/dialog-modal/):
 * focus moves in when it opens (to the element marked `data-autofocus`, else the first control),
 * Tab and Shift+Tab stay inside, Escape closes, and focus returns to where it was on close.
 * The page renders it with `lwc:if` and removes it on the `close` event; the body goes in the
 * default slot and the buttons in the `footer` slot.
 */
export default class Modal extends LightningElement {
  static renderMode = 'light';

  /** The title, which also names the dialog for assistive technology. */
  @api heading;
  /** `prompt`: a confirmation (role alertdialog, warning header); else a plain dialog. */
  @api variant;
  /** `small` (default), `medium` or `large`. */
  @api size;

  ids = (() => {
    modalCount += 1;
    return { heading: `pryzm-modal-heading-${modalCount}`, body: `pryzm-modal-body-${modalCount}` };
  })();

  opened = false;
  returnFocusTo = null;

  connectedCallback() {
    this.returnFocusTo = document.activeElement;
  }

  renderedCallback() {
    if (this.opened) return;
    this.opened = true;
    // Slotted controls are rendered with the modal; focus them once the frame is in place.
    Promise.resolve().then(() => {
      const target =
        this.querySelector('[data-autofocus]') || this.focusables()[0] || this.section();
      target?.focus();
    });
  }

  disconnectedCallback() {
    const back = this.returnFocusTo;
    // Focus goes back to the control that opened the modal, when the page still has it.
    if (back && back.isConnected && typeof back.focus === 'function') {
      Promise.resolve().then(() => back.focus());
    }
  }

  section() {
    return this.querySelector('section');
  }

  focusables() {
    return [...this.querySelectorAll(FOCUSABLE)].filter((element) => !element.closest('[hidden]'));
  }

  handleKeydown(event) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      this.close();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusables = this.focusables();
    if (!focusables.length) return;
    const first = focusables[0];
    const last = focusables[focusables.length - 1];
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === this.section())) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }

  close() {
    this.dispatchEvent(new CustomEvent('close'));
  }

  get isPrompt() {
    return this.variant === 'prompt';
  }

  /** A confirmation is answered with its own buttons; a dialog also has a close button. */
  get hasCloseButton() {
    return !this.isPrompt;
  }

  /** A confirmation's body is its question, read out with its title. */
  get describedBy() {
    return this.isPrompt ? this.ids.body : null;
  }

  get role() {
    return this.isPrompt ? 'alertdialog' : 'dialog';
  }

  get sectionClass() {
    const size = { medium: ' slds-modal_medium', large: ' slds-modal_large' }[this.size] || '';
    return `slds-modal slds-fade-in-open${this.isPrompt ? ' slds-modal_prompt' : ''}${size}`;
  }

  get headerClass() {
    return this.isPrompt
      ? 'slds-modal__header slds-theme_warning slds-theme_alert-texture'
      : 'slds-modal__header';
  }

  get footerClass() {
    return this.isPrompt ? 'slds-modal__footer slds-theme_default' : 'slds-modal__footer';
  }
}
