import { mount } from 'console-test-support';
import NoConnection from 'pryzm/noConnection';

describe('pryzm-no-connection', () => {
  it('says there is no connection and links to the page that makes one', async () => {
    const element = mount('pryzm-no-connection', NoConnection);
    expect(element.querySelector('p').textContent).toBe(
      'No active connection. Connect an org first.',
    );
    expect(element.querySelector('a').getAttribute('href')).toBe('#/integrations');
    await expect(element).toBeAccessible();
  });
});
