import { createElement } from 'lwc';
import PryzmSetupChecklist from 'c/pryzmSetupChecklist';
import getChecklist from '@salesforce/apex/PryzmSetupController.getChecklist';
import recheckStep from '@salesforce/apex/PryzmSetupController.recheckStep';
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();

const CHECKLIST = require('./data/checklist.json');

jest.mock('@salesforce/apex/PryzmSetupController.getChecklist', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/PryzmSetupController.recheckStep', () => ({ default: jest.fn() }), {
  virtual: true,
});

// Resolves after pending promise callbacks have run.
const flushPromises = () => new Promise((resolve) => process.nextTick(resolve));

function createComponent() {
  const element = createElement('c-pryzm-setup-checklist', { is: PryzmSetupChecklist });
  document.body.appendChild(element);
  return element;
}

function steps(element) {
  return Array.from(element.shadowRoot.querySelectorAll('li.step'));
}

function step(element, key) {
  return element.shadowRoot.querySelector(`li.step[data-key="${key}"]`);
}

// Controls that screen readers announce need a name; status and errors need live roles.
function expectAccessible(element) {
  element.shadowRoot.querySelectorAll('lightning-button').forEach((button) => {
    expect(button.label).toBeTruthy();
  });
  const recheckNames = [...element.shadowRoot.querySelectorAll('button.recheck')].map((button) =>
    button.getAttribute('aria-label'),
  );
  recheckNames.forEach((name) => expect(name).toMatch(/^Recheck step \d+: /));
  expect(new Set(recheckNames).size).toBe(recheckNames.length);
  element.shadowRoot.querySelectorAll('lightning-icon').forEach((icon) => {
    expect(icon.alternativeText).toBeTruthy();
  });
  element.shadowRoot.querySelectorAll('lightning-spinner').forEach((spinner) => {
    expect(spinner.alternativeText).toBeTruthy();
  });
  element.shadowRoot.querySelectorAll('.error, .no-access').forEach((node) => {
    expect(node.getAttribute('role')).toBe('alert');
  });
  const summary = element.shadowRoot.querySelector('.summary');
  if (summary) {
    expect(summary.getAttribute('aria-live')).toBe('polite');
  }
  element.shadowRoot.querySelectorAll('li.step').forEach((item) => {
    expect(item.parentElement.tagName).toBe('OL');
  });
}

describe('c-pryzm-setup-checklist', () => {
  let toastHandler;

  beforeEach(() => {
    toastHandler = jest.fn();
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  async function render() {
    const element = createComponent();
    element.addEventListener('lightning__showtoast', toastHandler);
    await flushPromises();
    return element;
  }

  it('shows a spinner while the checks run', async () => {
    getChecklist.mockReturnValue(new Promise(() => {}));
    const element = await render();
    expect(element.shadowRoot.querySelector('lightning-spinner')).not.toBeNull();
    expect(element.shadowRoot.querySelector('lightning-button.recheck-all').disabled).toBe(true);
    expectAccessible(element);
  });

  it('lists every step in order with its status', async () => {
    getChecklist.mockResolvedValue(CHECKLIST);
    const element = await render();

    const keys = steps(element).map((item) => item.dataset.key);
    expect(keys).toEqual([
      'install',
      'fields',
      'permissions',
      'integrationUser',
      'flows',
      'changeSource',
      'connect',
      'mapping',
      'firstPull',
    ]);
    expect(step(element, 'install').querySelector('h3').textContent).toContain(
      '1. Install the Pryzm Connector package',
    );
    expect(step(element, 'install').querySelector('.status').textContent).toBe('Complete');
    expect(step(element, 'permissions').querySelector('.status').textContent).toBe('To do');
    expect(step(element, 'connect').querySelector('.status').textContent).toBe('Error');
    expect(step(element, 'mapping').querySelector('lightning-icon').iconName).toBe('utility:clock');
    expect(element.shadowRoot.querySelector('.summary').textContent).toBe(
      '4 of 9 steps complete. Next: Assign the Pryzm permission sets.',
    );
    expect(element.shadowRoot.querySelector('lightning-progress-bar').value).toBe(44);
    expectAccessible(element);
  });

  it('passes the accessibility rules (axe, via sa11y), every recheck button named by its step', async () => {
    getChecklist.mockResolvedValue(CHECKLIST);
    const element = await render();
    expect(
      step(element, 'connect').querySelector('button.recheck').getAttribute('aria-label'),
    ).toBe('Recheck step 7: Connect the Pryzm service');
    await expect(element).toBeAccessible();
  });

  it('shows the one-line fix only for steps that are not complete', async () => {
    getChecklist.mockResolvedValue(CHECKLIST);
    const element = await render();
    expect(step(element, 'install').querySelector('.fix')).toBeNull();
    expect(step(element, 'connect').querySelector('.fix').textContent).toContain(
      'Setup > Named Credentials > Pryzm Service',
    );
  });

  it('says so when every step is complete', async () => {
    getChecklist.mockResolvedValue(
      CHECKLIST.map((item) => ({ ...item, status: 'complete', fix: null })),
    );
    const element = await render();
    expect(element.shadowRoot.querySelector('.summary').textContent).toBe(
      'Pryzm is set up: every step is complete.',
    );
    expect(element.shadowRoot.querySelector('lightning-progress-bar').value).toBe(100);
    expect(element.shadowRoot.querySelectorAll('.fix')).toHaveLength(0);
    expectAccessible(element);
  });

  it('shows a service that timed out as an error, with the later steps waiting on it', async () => {
    const timedOut = CHECKLIST.map((item) => {
      if (item.key === 'connect') {
        return {
          ...item,
          status: 'error',
          detail: 'The Pryzm service is not reachable: Read timed out',
          fix: 'Setup > Named Credentials > Pryzm Service: set the URL of your Pryzm service and recheck.',
        };
      }
      if (item.key === 'mapping' || item.key === 'firstPull') {
        return {
          ...item,
          status: 'blocked',
          detail: 'Waiting for the connection to the Pryzm service.',
          fix: 'Complete "Connect the Pryzm service" first.',
        };
      }
      return item;
    });
    getChecklist.mockResolvedValue(timedOut);
    const element = await render();

    const connect = step(element, 'connect');
    expect(connect.dataset.status).toBe('error');
    expect(connect.querySelector('.detail').textContent).toContain('Read timed out');
    expect(connect.querySelector('.fix').textContent).toContain(
      'set the URL of your Pryzm service',
    );
    for (const key of ['mapping', 'firstPull']) {
      expect(step(element, key).querySelector('.status').textContent).toBe(
        'Waiting on an earlier step',
      );
      expect(step(element, key).querySelector('button.recheck').disabled).toBe(false);
    }
    expectAccessible(element);
  });

  it('keeps the step as it was when its recheck times out', async () => {
    getChecklist.mockResolvedValue(CHECKLIST);
    recheckStep.mockRejectedValue({ body: { message: 'Read timed out' } });
    const element = await render();
    const before = step(element, 'connect').querySelector('.detail').textContent;

    step(element, 'connect').querySelector('button.recheck').click();
    await flushPromises();

    expect(step(element, 'connect').querySelector('.detail').textContent).toBe(before);
    expect(step(element, 'connect').querySelector('button.recheck').disabled).toBe(false);
    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
      variant: 'error',
      message: 'Read timed out',
    });
    expectAccessible(element);
  });

  it('treats an unknown status as still to do', async () => {
    getChecklist.mockResolvedValue([{ ...CHECKLIST[1], status: 'mystery' }]);
    const element = await render();
    expect(step(element, 'install').querySelector('.status').textContent).toBe('To do');
  });

  it('shows an empty checklist as zero progress', async () => {
    getChecklist.mockResolvedValue([]);
    const element = await render();
    expect(element.shadowRoot.querySelector('.summary').textContent).toBe('0 of 0 steps complete.');
    expect(element.shadowRoot.querySelector('lightning-progress-bar').value).toBe(0);
  });

  it('shows an error when the checks fail', async () => {
    getChecklist.mockRejectedValue({ body: { message: 'Apex CPU time limit exceeded' } });
    const element = await render();
    expect(element.shadowRoot.querySelector('.error').textContent).toContain(
      'Apex CPU time limit exceeded',
    );
    expect(steps(element)).toHaveLength(0);
    expectAccessible(element);
  });

  it('falls back to a generic message for an empty error', async () => {
    getChecklist.mockRejectedValue(undefined);
    const element = await render();
    expect(element.shadowRoot.querySelector('.error').textContent).toContain(
      'The setup checks could not run.',
    );
  });

  it('explains the missing permission set when Apex access is denied', async () => {
    getChecklist.mockRejectedValue({
      body: { message: "You do not have access to the Apex class named 'PryzmSetupController'." },
    });
    const element = await render();
    const noAccess = element.shadowRoot.querySelector('.no-access');
    expect(noAccess.textContent).toContain('You need the Pryzm Admin permission set');
    expect(element.shadowRoot.querySelector('.error')).toBeNull();
    expectAccessible(element);
  });

  it('rechecks one step and announces when it completes', async () => {
    getChecklist.mockResolvedValue(CHECKLIST);
    const fixed = {
      ...CHECKLIST[4],
      status: 'complete',
      detail: 'The Pryzm service answered.',
      fix: null,
    };
    let resolveRecheck;
    recheckStep.mockReturnValue(
      new Promise((resolve) => {
        resolveRecheck = resolve;
      }),
    );
    const element = await render();

    step(element, 'connect').querySelector('button.recheck').click();
    await flushPromises();
    const button = step(element, 'connect').querySelector('button.recheck');
    expect(button.disabled).toBe(true);
    expect(button.textContent.trim()).toBe('Checking…');
    expect(recheckStep).toHaveBeenCalledWith({ key: 'connect' });

    resolveRecheck(fixed);
    await flushPromises();
    await flushPromises();

    expect(step(element, 'connect').querySelector('.status').textContent).toBe('Complete');
    expect(step(element, 'connect').querySelector('.detail').textContent).toBe(
      'The Pryzm service answered.',
    );
    expect(step(element, 'connect').querySelector('button.recheck').disabled).toBe(false);
    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
      variant: 'success',
      title: 'Connect the Pryzm service: complete',
    });
  });

  it('keeps quiet when a recheck finds the step still incomplete', async () => {
    getChecklist.mockResolvedValue(CHECKLIST);
    recheckStep.mockResolvedValue(CHECKLIST[2]);
    const element = await render();
    step(element, 'permissions').querySelector('button.recheck').click();
    await flushPromises();
    await flushPromises();
    expect(toastHandler).not.toHaveBeenCalled();
    expect(step(element, 'permissions').querySelector('.status').textContent).toBe('To do');
  });

  it('shows a toast when a recheck fails', async () => {
    getChecklist.mockResolvedValue(CHECKLIST);
    recheckStep.mockRejectedValue({ body: { message: 'Unknown checklist step: connect' } });
    const element = await render();
    step(element, 'connect').querySelector('button.recheck').click();
    await flushPromises();
    await flushPromises();
    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
      variant: 'error',
      message: 'Unknown checklist step: connect',
    });
    expect(step(element, 'connect').querySelector('.status').textContent).toBe('Error');
  });

  it('runs every check again on Recheck all', async () => {
    getChecklist
      .mockResolvedValueOnce(CHECKLIST)
      .mockResolvedValueOnce(CHECKLIST.map((item) => ({ ...item, status: 'complete' })));
    const element = await render();
    element.shadowRoot.querySelector('lightning-button.recheck-all').click();
    await flushPromises();
    expect(getChecklist).toHaveBeenCalledTimes(2);
    expect(element.shadowRoot.querySelector('.summary').textContent).toContain(
      'every step is complete',
    );
  });
});
