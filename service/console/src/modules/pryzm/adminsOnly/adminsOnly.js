import { LightningElement, api } from 'lwc';

/**
 * What an Editor or a Viewer sees instead of an Admin-only page (members, keys, webhooks, audit
 * log, access): a lock and one sentence saying what the page would show an Admin.
 */
export default class AdminsOnly extends LightningElement {
  static renderMode = 'light';

  @api message;
}
