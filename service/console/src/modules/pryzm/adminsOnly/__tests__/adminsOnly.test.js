import { createElement } from 'lwc';
import AdminsOnly from 'pryzm/adminsOnly';
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();

describe('pryzm-admins-only', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('says the page is for Admins and what it would show', async () => {
    const element = createElement('pryzm-admins-only', { is: AdminsOnly });
    element.message = 'Only an Admin of this workspace sees and manages its API keys.';
    document.body.appendChild(element);
    await Promise.resolve();
    expect(element.querySelector('h2').textContent).toBe('Admins only');
    expect(element.querySelector('p').textContent).toBe(element.message);
    expect(element.querySelector('use').getAttribute('href')).toMatch(/#lock$/);
    await expect(element).toBeAccessible();
  });
});
