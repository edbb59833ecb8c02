import { mount } from 'console-test-support';
import Alert from 'pryzm/alert';

const create = (props) => mount('pryzm-alert', Alert, props);

describe('pryzm-alert', () => {
  it('draws nothing without a message', () => {
    const element = create({});
    expect(element.querySelector('[role="alert"]')).toBeNull();
  });

  it('shows the message in an SLDS error alert, with the spacing asked for', async () => {
    const element = create({ message: 'Not allowed', spacing: 'slds-m-bottom_small' });
    const alert = element.querySelector('[role="alert"]');
    expect(alert.textContent).toBe('Not allowed');
    expect(alert.className).toBe(
      'slds-notify slds-notify_alert slds-alert_error slds-m-bottom_small',
    );
    await expect(element).toBeAccessible();
  });

  it('appears when the message arrives', async () => {
    const element = create({});
    element.message = 'The service did not answer';
    await Promise.resolve();
    expect(element.querySelector('[role="alert"]').className).toBe(
      'slds-notify slds-notify_alert slds-alert_error',
    );
  });
});
