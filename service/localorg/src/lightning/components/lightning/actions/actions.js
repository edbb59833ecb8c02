/**
 * `lightning/actions`: a screen quick action closes its panel with CloseActionScreenEvent
 * ("Create Screen Quick Actions", Lightning Web Components Developer Guide,
 * https://developer.salesforce.com/docs/platform/lwc/guide/use-quick-actions-screen.html).
 * The local org's record page closes its quick action dialog on it.
 */
export class CloseActionScreenEvent extends CustomEvent {
  constructor() {
    super('lightning__actionsclosescreen', { bubbles: true, composed: true });
  }
}
