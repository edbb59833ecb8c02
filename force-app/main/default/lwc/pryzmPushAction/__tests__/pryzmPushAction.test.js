import { createElement } from 'lwc';
import PryzmPushAction from 'c/pryzmPushAction';
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();

jest.mock(
  '@salesforce/apex/PryzmPushController.getPushContext',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);
jest.mock('@salesforce/apex/PryzmPushController.requestPush', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock(
  'lightning/actions',
  () => ({
    CloseActionScreenEvent: class CloseActionScreenEvent extends CustomEvent {
      constructor() {
        super('close');
      }
    },
  }),
  { virtual: true },
);

const RECORD_ID = '500000000000001AAA';

describe('c-pryzm-push-action', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  function render() {
    const element = createElement('c-pryzm-push-action', { is: PryzmPushAction });
    element.recordId = RECORD_ID;
    element.objectApiName = 'Case';
    document.body.appendChild(element);
    return element;
  }

  it('shows the Push button for the record in a quick action panel', async () => {
    const element = render();
    await Promise.resolve();
    const panel = element.shadowRoot.querySelector('lightning-quick-action-panel');
    expect(panel.header).toBe('Push to Pryzm');
    const button = element.shadowRoot.querySelector('c-pryzm-push-button');
    expect(button.recordId).toBe(RECORD_ID);
    expect(button.objectApiName).toBe('Case');
    await expect(element).toBeAccessible();
  });

  it('closes the action with CloseActionScreenEvent', async () => {
    const element = render();
    const closed = jest.fn();
    element.addEventListener('close', closed);
    await Promise.resolve();
    const close = element.shadowRoot.querySelector('lightning-button.close');
    expect(close.label).toBe('Close');
    close.click();
    expect(closed).toHaveBeenCalledTimes(1);
  });
});
