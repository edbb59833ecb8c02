import { LightningElement, api } from 'lwc';

let panelCount = 0;

/**
 * Stand-in for lightning-quick-action-panel: a screen quick action's header, body and footer in
 * SLDS modal markup. The page that opens the action supplies the dialog around it.
 * https://developer.salesforce.com/docs/component-library/bundle/lightning-quick-action-panel/specification
 */
export default class QuickActionPanel extends LightningElement {
  @api header;

  headingId = `quick-action-heading-${++panelCount}`;
}
