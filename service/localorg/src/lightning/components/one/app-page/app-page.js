import { LightningElement } from 'lwc';
import { pageContext } from 'salesforce/context';

/**
 * The Pryzm Setup app page (the package's Pryzm_Setup tab and flexipage): the package's
 * pryzmSetupChecklist in the page's one region, as flexipage:defaultAppHomeTemplate places it.
 */
export default class AppPage extends LightningElement {
  context = pageContext();

  constructor() {
    super();
    this.template.addEventListener('lightning__showtoast', (event) => {
      this.template.querySelector('one-toast-region').show(event.detail);
    });
  }

  get title() {
    return this.context.tab ? this.context.tab.label : '';
  }
}
