import { mount } from 'console-test-support';
import DataTable from 'pryzm/dataTable';
import ListHost from './listHost/listHost';
import MEMBERS from './data/members.json';

const createHost = (rows) => mount('pryzm-list-host', ListHost, { columns: MEMBERS.columns, rows });

describe('pryzm-data-table', () => {
  it('draws the headers and the page’s rows inside the table body', async () => {
    const element = createHost(MEMBERS.rows);
    const table = element.querySelector('table');
    expect(table.getAttribute('aria-label')).toBe('Members list');
    expect(table.className).toBe('slds-table slds-table_cell-buffer slds-table_bordered');
    const frame = table.parentElement;
    expect(frame.className).toBe('slds-card pryzm-table-scroll');
    // The box scrolls sideways on a narrow screen: a keyboard reaches it, a screen reader names it.
    expect(frame.getAttribute('tabindex')).toBe('0');
    expect(frame.getAttribute('role')).toBe('region');
    expect(frame.getAttribute('aria-label')).toBe('Members list');
    const headers = [...table.querySelectorAll('thead th')];
    expect(headers.map((th) => th.textContent.trim())).toEqual([
      'Name',
      'Email',
      'Added',
      'Actions',
    ]);
    expect(headers.every((th) => th.getAttribute('scope') === 'col')).toBe(true);
    expect(headers[2].className).toBe('pryzm-hide-narrow');
    expect(headers[3].querySelector('.slds-assistive-text').textContent).toBe('Actions');
    const rows = [...table.querySelectorAll('tbody > tr')];
    expect(rows.map((row) => row.dataset.member)).toEqual(['ada@example.com', 'alan@example.com']);
    expect(element.querySelector('.pryzm-empty')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows the empty state instead of the table when there is nothing to list', async () => {
    const element = createHost([]);
    expect(element.querySelector('table')).toBeNull();
    expect(element.querySelector('h2').textContent).toBe('No member yet');
    expect(element.querySelector('p').textContent).toBe(
      'Add the people who work with this workspace.',
    );
    await expect(element).toBeAccessible();
  });

  it('follows the rows as the page changes them', async () => {
    const element = createHost([]);
    element.rows = MEMBERS.rows.slice(0, 1);
    await Promise.resolve();
    expect(element.querySelectorAll('tbody > tr')).toHaveLength(1);
    element.rows = MEMBERS.rows;
    await Promise.resolve();
    expect(element.querySelectorAll('tbody > tr')).toHaveLength(2);
  });

  it('draws nothing for an empty list whose page says so another way', () => {
    const element = mount('pryzm-data-table', DataTable, {
      label: 'Personal tokens list',
      columns: MEMBERS.columns,
      empty: true,
      tableModifiers: 'slds-table_fixed-layout',
    });
    expect(element.querySelector('table')).toBeNull();
    expect(element.querySelector('.pryzm-empty')).toBeNull();
    element.empty = false;
    return Promise.resolve().then(() => {
      expect(element.querySelector('table').className).toBe(
        'slds-table slds-table_cell-buffer slds-table_bordered slds-table_fixed-layout',
      );
      // No scrolling box: nothing to reach by keyboard, no region.
      const frame = element.querySelector('table').parentElement;
      expect(frame.hasAttribute('tabindex')).toBe(false);
      expect(frame.hasAttribute('role')).toBe(false);
    });
  });
});
