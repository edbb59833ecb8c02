/**
 * `lightning/platformShowToastEvent`: the event a component fires to ask the page for a toast.
 * Lightning's container listens for `lightning__showtoast`; the local org's pages do the same.
 * https://developer.salesforce.com/docs/component-library/bundle/lightning-platform-show-toast-event/documentation
 */
export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super('lightning__showtoast', {
      bubbles: true,
      composed: true,
      cancelable: true,
      detail: toast,
    });
  }
}
