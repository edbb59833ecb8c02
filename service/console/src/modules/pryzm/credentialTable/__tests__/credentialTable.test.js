import { mount } from 'console-test-support';
import CredentialTable from 'pryzm/credentialTable';
import KEYS from './data/keys.json';

const create = (props) =>
  mount('pryzm-credential-table', CredentialTable, {
    label: 'API keys list',
    rows: KEYS,
    ...props,
  });

const headerTexts = (element) =>
  [...element.querySelectorAll('thead th')].map((th) => th.textContent.trim());

describe('pryzm-credential-table', () => {
  it('lists keys with their role, the console’s own marked, and Revoke on active ones', async () => {
    const element = create({ showRole: true, frameClass: 'slds-card pryzm-table-scroll' });
    expect(headerTexts(element)).toEqual([
      'Name',
      'Prefix',
      'Role',
      'Created',
      'Expires',
      'Last used',
      'Status',
      'Actions',
    ]);
    const rows = element.querySelectorAll('tbody > tr');
    expect([...rows].map((row) => row.dataset.key)).toEqual(['CI reader', 'Old export']);
    expect(rows[0].querySelector('[data-id="signed-in-with"]').textContent).toBe('This console');
    expect(rows[1].querySelector('[data-id="signed-in-with"]')).toBeNull();
    expect(rows[0].querySelector('[data-id="key-role"]').textContent).toBe('Viewer');
    expect(rows[1].querySelector('[data-id="key-expires"]').textContent).toBe('1 Dec 2026');
    expect(rows[0].querySelector('button').getAttribute('aria-label')).toBe('Revoke CI reader');
    expect(rows[1].querySelector('button')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('leaves the role out for a member’s tokens', () => {
    const element = create({ label: 'Personal tokens list' });
    expect(headerTexts(element)).not.toContain('Role');
    expect(element.querySelector('[data-id="key-role"]')).toBeNull();
    expect(element.querySelector('tbody tr').children).toHaveLength(7);
  });

  it('says which row’s Revoke was pressed', () => {
    const element = create({});
    const handler = jest.fn();
    element.addEventListener('revoke', handler);
    element.querySelector('tbody button').click();
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0][0].detail).toEqual({ id: 'key-1' });
  });

  it('shows the empty state the page names when there is nothing', () => {
    const element = create({
      rows: [],
      empty: true,
      emptyHeading: 'No API key yet',
      emptyIcon: 'key',
      emptyMessage: 'Create one above.',
    });
    expect(element.querySelector('table')).toBeNull();
    expect(element.querySelector('h2').textContent).toBe('No API key yet');
  });
});
