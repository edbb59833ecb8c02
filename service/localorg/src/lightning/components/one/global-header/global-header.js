import { LightningElement, api } from 'lwc';
import { pageContext } from 'salesforce/context';

/** The bar above every local org page: the org, the app's tabs, the signed-in user. */
export default class GlobalHeader extends LightningElement {
  @api current;

  context = pageContext();

  get orgName() {
    return this.context.org ? this.context.org.name : '';
  }

  get userName() {
    return this.context.user ? this.context.user.name : '';
  }

  get tabs() {
    return (this.context.tabs || []).map((tab) => ({
      ...tab,
      itemClass:
        tab.key === this.current
          ? 'slds-context-bar__item slds-is-active'
          : 'slds-context-bar__item',
      ariaCurrent: tab.key === this.current ? 'page' : undefined,
    }));
  }
}
