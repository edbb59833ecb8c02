/**
 * Toasts: any component calls showToast(); the app shell listens and renders SLDS toasts.
 * A window event keeps components free of a reference to the shell.
 */
export function showToast(target, { title, message = '', variant = 'info' }) {
  target.dispatchEvent(
    new CustomEvent('pryzmtoast', {
      detail: { title, message, variant },
      bubbles: true,
      composed: true,
    }),
  );
}
