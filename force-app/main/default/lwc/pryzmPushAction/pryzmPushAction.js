import { LightningElement, api } from 'lwc';
import { CloseActionScreenEvent } from 'lightning/actions';
import { LABELS } from 'c/pryzmLabels';

/**
 * The Push to Pryzm quick action: the Push button inside a quick action panel with a Close button
 * (a screen action closes itself with CloseActionScreenEvent: "Create Screen Quick Actions",
 * Lightning Web Components Developer Guide). In the mobile app, where results cannot be received,
 * the button still requests the push and says so.
 */
export default class PryzmPushAction extends LightningElement {
  @api recordId;
  @api objectApiName;

  labels = LABELS;

  handleClose() {
    this.dispatchEvent(new CloseActionScreenEvent());
  }
}
