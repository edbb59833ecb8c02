import { createElement } from 'lwc';
import PryzmPushButton, { RESULT_TIMEOUT_MS } from 'c/pryzmPushButton';
import getPushContext from '@salesforce/apex/PryzmPushController.getPushContext';
import requestPush from '@salesforce/apex/PryzmPushController.requestPush';
import { refreshApex } from '@salesforce/apex';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();

const PUSH_CONTEXT = require('./data/pushContext.json');
const NO_PERMISSION = require('./data/pushContextNoPermission.json');
const UNLINKED = require('./data/pushContextUnlinked.json');

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
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), {
  virtual: true,
});

const RECORD_ID = '001000000000001AAA';
const CORRELATION_ID = '5c3f0e52-9b7e-4d1a-8a55-2f0c4e6d7b19';

// Resolves after pending promise callbacks have run.
const flushPromises = () => new Promise((resolve) => process.nextTick(resolve));

function createComponent() {
  const element = createElement('c-pryzm-push-button', { is: PryzmPushButton });
  element.recordId = RECORD_ID;
  element.objectApiName = 'Account';
  document.body.appendChild(element);
  return element;
}

function resultMessage(fields, prefix = 'pryzm__') {
  const payload = {};
  Object.entries(fields).forEach(([name, value]) => {
    payload[`${prefix}${name}`] = value;
  });
  return { channel: PUSH_CONTEXT.resultChannel, data: { payload } };
}

function pushButton(element) {
  return element.shadowRoot.querySelector('lightning-button.push');
}

function text(element, selector) {
  const node = element.shadowRoot.querySelector(selector);
  return node ? node.textContent : null;
}

// Controls that screen readers announce need a name; status and errors need live roles.
function expectAccessible(element) {
  element.shadowRoot.querySelectorAll('lightning-button').forEach((button) => {
    expect(button.label).toBeTruthy();
  });
  element.shadowRoot.querySelectorAll('lightning-spinner').forEach((spinner) => {
    expect(spinner.alternativeText).toBeTruthy();
  });
  element.shadowRoot.querySelectorAll('.error').forEach((node) => {
    expect(node.getAttribute('role')).toBe('alert');
  });
  element.shadowRoot.querySelectorAll('.outcome, .waiting').forEach((node) => {
    expect(node.getAttribute('role')).toBe('status');
  });
}

describe('c-pryzm-push-button', () => {
  let resultCallback;
  let toastHandler;

  beforeEach(() => {
    resultCallback = undefined;
    subscribe.mockImplementation((channel, replayId, callback) => {
      resultCallback = callback;
      return Promise.resolve({ id: 'subscription', channel });
    });
    unsubscribe.mockImplementation(() => Promise.resolve(true));
    requestPush.mockResolvedValue(CORRELATION_ID);
    isEmpEnabled.mockResolvedValue(true);
    toastHandler = jest.fn();
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
    jest.useRealTimers();
  });

  async function renderWith(context) {
    const element = createComponent();
    element.addEventListener('lightning__showtoast', toastHandler);
    getPushContext.emit(context);
    await flushPromises();
    return element;
  }

  async function clickPush(element) {
    pushButton(element).click();
    await flushPromises();
    await flushPromises();
  }

  it('shows a spinner while the sync state loads', async () => {
    const element = createComponent();
    await flushPromises();
    expect(element.shadowRoot.querySelector('lightning-spinner')).not.toBeNull();
    expect(pushButton(element)).toBeNull();
    expectAccessible(element);
  });

  it('shows the Pryzm ID, last sync time and status of a linked record', async () => {
    const element = await renderWith(PUSH_CONTEXT);
    expect(getPushContext.getLastConfig()).toEqual({ recordId: RECORD_ID });
    expect(text(element, '.pryzm-id')).toBe(PUSH_CONTEXT.pryzmId);
    expect(text(element, '.sync-status')).toBe('Synced');
    expect(element.shadowRoot.querySelector('lightning-formatted-date-time').value).toBe(
      PUSH_CONTEXT.lastSynced,
    );
    expect(pushButton(element).disabled).toBe(false);
    expect(element.shadowRoot.querySelector('.reason')).toBeNull();
    expectAccessible(element);
  });

  it('shows an unlinked record and its last sync error', async () => {
    const element = await renderWith(UNLINKED);
    expect(text(element, '.pryzm-id')).toBe('Not linked yet');
    expect(text(element, '.last-synced')).toContain('Never');
    expect(text(element, '.sync-status')).toBe('Error');
    expect(text(element, '.sync-error')).toBe(UNLINKED.syncError);
  });

  it('shows "Never synced" when the record has no sync status', async () => {
    const element = await renderWith({ ...UNLINKED, syncStatus: null, syncError: null });
    expect(text(element, '.sync-status')).toBe('Never synced');
    expect(element.shadowRoot.querySelector('.sync-error')).toBeNull();
  });

  it('disables Push with the reason when the user lacks permission', async () => {
    const element = await renderWith(NO_PERMISSION);
    expect(pushButton(element).disabled).toBe(true);
    expect(text(element, '.reason')).toBe(NO_PERMISSION.reason);
    await clickPush(element);
    expect(subscribe).not.toHaveBeenCalled();
    expect(requestPush).not.toHaveBeenCalled();
    expectAccessible(element);
  });

  it('disables Push and names the permission set when the Apex class is off limits', async () => {
    const element = createComponent();
    getPushContext.error({
      message: "You do not have access to the Apex class named 'PryzmPushController'.",
    });
    await flushPromises();
    expect(pushButton(element).disabled).toBe(true);
    expect(text(element, '.reason')).toContain('Pryzm User permission set');
    expect(element.shadowRoot.querySelector('.error')).toBeNull();
    expectAccessible(element);
  });

  it('shows an error when the sync state cannot be loaded', async () => {
    const element = createComponent();
    getPushContext.error({ message: 'Apex CPU time limit exceeded' });
    await flushPromises();
    expect(text(element, '.error')).toContain('could not be loaded');
    expect(pushButton(element)).toBeNull();
    expectAccessible(element);
  });

  it('pushes, waits for the matching result and shows success', async () => {
    const element = await renderWith(PUSH_CONTEXT);
    await clickPush(element);

    expect(subscribe).toHaveBeenCalledWith(PUSH_CONTEXT.resultChannel, -1, expect.any(Function));
    expect(requestPush).toHaveBeenCalledWith({ recordId: RECORD_ID });
    expect(pushButton(element).disabled).toBe(true);
    expect(pushButton(element).label).toBe('Pushing…');
    expect(element.shadowRoot.querySelector('.waiting')).not.toBeNull();
    expectAccessible(element);

    resultCallback(
      resultMessage({
        Correlation_Id__c: 'someone-elses-push',
        Status__c: 'Error',
        Message__c: 'x',
      }),
    );
    await flushPromises();
    expect(toastHandler).not.toHaveBeenCalled();

    resultCallback(
      resultMessage({
        Correlation_Id__c: CORRELATION_ID,
        Record_Id__c: RECORD_ID,
        Status__c: 'Success',
        Pryzm_Id__c: PUSH_CONTEXT.pryzmId,
        Message__c: 'Synced 12 fields.',
      }),
    );
    await flushPromises();

    expect(toastHandler).toHaveBeenCalledTimes(1);
    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
      variant: 'success',
      title: 'Pushed to Pryzm',
      message: 'Synced 12 fields.',
    });
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: RECORD_ID }]);
    expect(refreshApex).toHaveBeenCalled();
    expect(unsubscribe).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'subscription' }),
      expect.any(Function),
    );
    expect(pushButton(element).disabled).toBe(false);
    expect(text(element, '.outcome')).toBe('Synced 12 fields.');
    expectAccessible(element);
  });

  it('handles a result that arrives before the push request returns', async () => {
    let resolvePush;
    requestPush.mockReturnValue(
      new Promise((resolve) => {
        resolvePush = resolve;
      }),
    );
    const element = await renderWith({ ...UNLINKED });
    pushButton(element).click();
    await flushPromises();

    resultCallback(resultMessage({ Correlation_Id__c: CORRELATION_ID, Status__c: 'Success' }, ''));
    resolvePush(CORRELATION_ID);
    await flushPromises();
    await flushPromises();

    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
      variant: 'success',
      message: 'The record is synced with Pryzm.',
    });
  });

  it('warns about a conflict', async () => {
    const element = await renderWith(PUSH_CONTEXT);
    await clickPush(element);
    resultCallback(resultMessage({ Correlation_Id__c: CORRELATION_ID, Status__c: 'Conflict' }));
    await flushPromises();
    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
      variant: 'warning',
      title: 'Pushed with a conflict',
    });
  });

  it('shows the error the service reports', async () => {
    const element = await renderWith(PUSH_CONTEXT);
    await clickPush(element);
    resultCallback(
      resultMessage({
        Correlation_Id__c: CORRELATION_ID,
        Status__c: 'Error',
        Message__c: 'Mapping for Account is paused.',
      }),
    );
    await flushPromises();
    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
      variant: 'error',
      title: 'Push failed',
      message: 'Mapping for Account is paused.',
    });
    expect(text(element, '.outcome')).toBe('Mapping for Account is paused.');
  });

  it('shows the Apex error when the push request fails', async () => {
    requestPush.mockRejectedValue({
      body: { message: 'You need edit access to this record to push it.' },
    });
    const element = await renderWith(PUSH_CONTEXT);
    await clickPush(element);
    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
      variant: 'error',
      message: 'You need edit access to this record to push it.',
    });
    expect(unsubscribe).toHaveBeenCalled();
    expect(pushButton(element).disabled).toBe(false);
    expectAccessible(element);
  });

  it('does not push when it cannot listen for results', async () => {
    subscribe.mockRejectedValue(new Error('Streaming API is disabled'));
    const element = await renderWith(PUSH_CONTEXT);
    await clickPush(element);
    expect(requestPush).not.toHaveBeenCalled();
    expect(toastHandler.mock.calls[0][0].detail.message).toContain('Streaming API is disabled');
  });

  it('times out gracefully when no result arrives', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick'] });
    const element = await renderWith(PUSH_CONTEXT);
    await clickPush(element);
    expect(toastHandler).not.toHaveBeenCalled();

    jest.advanceTimersByTime(RESULT_TIMEOUT_MS);
    await flushPromises();

    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
      variant: 'warning',
      title: 'Still waiting for Pryzm',
    });
    expect(unsubscribe).toHaveBeenCalled();
    expect(pushButton(element).disabled).toBe(false);
    expect(text(element, '.outcome')).toContain('did not answer within 30 seconds');

    resultCallback(resultMessage({ Correlation_Id__c: CORRELATION_ID, Status__c: 'Success' }));
    await flushPromises();
    expect(toastHandler).toHaveBeenCalledTimes(1);
  });

  it('reports a dropped streaming connection during a push', async () => {
    const element = await renderWith(PUSH_CONTEXT);
    const errorCallback = onError.mock.calls[0][0];
    errorCallback({ message: 'handshake denied' });
    expect(toastHandler).not.toHaveBeenCalled();

    await clickPush(element);
    errorCallback({ message: 'handshake denied' });
    await flushPromises();
    expect(toastHandler.mock.calls[0][0].detail.message).toContain('handshake denied');
  });

  it('stops listening when removed from the page', async () => {
    const element = await renderWith(PUSH_CONTEXT);
    await clickPush(element);
    document.body.removeChild(element);
    expect(unsubscribe).toHaveBeenCalled();
  });

  it('passes the accessibility rules (axe, via sa11y) in every state', async () => {
    const element = await renderWith(PUSH_CONTEXT);
    await expect(element).toBeAccessible();
    await clickPush(element);
    await expect(element).toBeAccessible();
    const denied = await renderWith(NO_PERMISSION);
    await expect(denied).toBeAccessible();
  });

  it('where empApi is unavailable (the mobile app), still pushes and says it was requested', async () => {
    isEmpEnabled.mockResolvedValue(false);
    const element = await renderWith(PUSH_CONTEXT);
    await clickPush(element);
    expect(subscribe).not.toHaveBeenCalled();
    expect(requestPush).toHaveBeenCalledWith({ recordId: RECORD_ID });
    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
      variant: 'info',
      title: 'Push requested',
    });
    expect(text(element, '.outcome')).toContain('refresh the record later');
    expect(pushButton(element).disabled).toBe(false);
    expectAccessible(element);
  });

  it('reports a failed request where empApi is unavailable', async () => {
    isEmpEnabled.mockResolvedValue(false);
    requestPush.mockRejectedValue({ body: { message: 'You need edit access to this record.' } });
    const element = await renderWith(PUSH_CONTEXT);
    await clickPush(element);
    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
      variant: 'error',
      message: 'You need edit access to this record.',
    });
  });

  it('ignores messages without a payload', async () => {
    const element = await renderWith(PUSH_CONTEXT);
    await clickPush(element);
    resultCallback({ data: {} });
    resultCallback(undefined);
    await flushPromises();
    expect(toastHandler).not.toHaveBeenCalled();
  });
});
