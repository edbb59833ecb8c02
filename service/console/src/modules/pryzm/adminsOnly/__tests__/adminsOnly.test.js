import { mount } from 'console-test-support';
import AdminsOnly from 'pryzm/adminsOnly';

describe('pryzm-admins-only', () => {
  it('says the page is for Admins and what it would show', async () => {
    const element = mount('pryzm-admins-only', AdminsOnly, {
      message: 'Only an Admin of this workspace sees and manages its API keys.',
    });
    expect(element.querySelector('h2').textContent).toBe('Admins only');
    expect(element.querySelector('p').textContent).toBe(element.message);
    expect(element.querySelector('use').getAttribute('href')).toMatch(/#lock$/);
    await expect(element).toBeAccessible();
  });
});
