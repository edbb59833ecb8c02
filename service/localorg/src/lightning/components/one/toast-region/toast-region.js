import { LightningElement, api } from 'lwc';
import { iconHref } from 'salesforce/assets';

// Toasts in dismissible mode close by themselves, as Lightning's do; sticky ones stay.
// https://developer.salesforce.com/docs/component-library/bundle/lightning-platform-show-toast-event/documentation
const SHOWN_MS = 8000;
const ICONS = { success: 'success', warning: 'warning', error: 'error', info: 'info' };
let toastCount = 0;

/** Where a page shows the toasts its components ask for with ShowToastEvent. */
export default class ToastRegion extends LightningElement {
  toasts = [];

  @api
  show(detail) {
    const variant = ICONS[detail.variant] ? detail.variant : 'info';
    const toast = {
      key: `toast-${++toastCount}`,
      variant,
      title: detail.title,
      message: detail.message,
      toastClass: `slds-notify slds-notify_toast slds-theme_${variant}`,
      iconClass: `slds-icon_container slds-icon-utility-${variant} slds-m-right_small slds-no-flex slds-align-top`,
      iconHref: iconHref('utility', ICONS[variant]),
      closeHref: iconHref('utility', 'close'),
    };
    this.toasts = [...this.toasts, toast];
    if (detail.mode !== 'sticky') {
      // eslint-disable-next-line @lwc/lwc/no-async-operation
      setTimeout(() => this.dismiss(toast.key), SHOWN_MS);
    }
  }

  handleClose(event) {
    this.dismiss(event.currentTarget.dataset.key);
  }

  dismiss(key) {
    this.toasts = this.toasts.filter((toast) => toast.key !== key);
  }
}
