import { mount } from 'console-test-support';
import SelectField from 'pryzm/selectField';
import ROLE_OPTIONS from './data/roleOptions.json';
import CONNECTION_OPTIONS from './data/connectionOptions.json';

const create = (props) => mount('pryzm-select-field', SelectField, props);

describe('pryzm-select-field', () => {
  it('labels the select and selects the chosen option', async () => {
    const element = create({ label: 'Role', selectId: 'key-role', options: ROLE_OPTIONS });
    const select = element.querySelector('select');
    expect(element.querySelector('label').getAttribute('for')).toBe('key-role');
    expect(element.querySelector('label').className).toBe('slds-form-element__label');
    expect(select.id).toBe('key-role');
    expect([...select.options].map((option) => option.value)).toEqual([
      'admin',
      'editor',
      'viewer',
    ]);
    expect(select.value).toBe('editor');
    expect(select.hasAttribute('data-autofocus')).toBe(false);
    await expect(element).toBeAccessible();
  });

  it('takes records whose id is the value', () => {
    const element = create({
      label: 'Connection',
      selectId: 'mapping-connection',
      options: CONNECTION_OPTIONS,
    });
    const select = element.querySelector('select');
    expect(select.value).toBe('conn-2');
    expect(select.options[0].textContent.trim()).toBe('Acme UAT');
  });

  it('hands the select’s own change event to the page', () => {
    const element = create({
      label: 'Direction',
      selectId: 'mapping-direction',
      name: 'direction',
      index: 3,
      options: ROLE_OPTIONS,
    });
    const seen = [];
    element.addEventListener('change', (event) =>
      seen.push([event.target.name, event.target.value, event.target.dataset.index]),
    );
    const select = element.querySelector('select');
    select.value = 'viewer';
    select.dispatchEvent(new CustomEvent('change', { bubbles: true }));
    expect(seen).toEqual([['direction', 'viewer', '3']]);
  });

  it('hides the label from sight only, and marks the control a dialog focuses first', async () => {
    const element = create({
      label: 'Role of Ada Lovelace',
      selectId: 'member-role-1',
      options: ROLE_OPTIONS,
      labelHidden: true,
      focusFirst: true,
      disabled: true,
      itemId: 'member-1',
      field: 'role',
    });
    expect(element.querySelector('label').className).toBe('slds-assistive-text');
    expect(element.querySelector('.slds-form-element')).toBeNull();
    const select = element.querySelector('select');
    expect(select.hasAttribute('data-autofocus')).toBe(true);
    expect(select.disabled).toBe(true);
    expect(select.dataset.id).toBe('member-1');
    expect(select.dataset.field).toBe('role');
    await expect(element).toBeAccessible();
  });

  it('gives the select a longer name for screen readers when the page has one', () => {
    const element = create({
      label: 'Pryzm attribute',
      assistiveLabel: 'Pryzm attribute of rule 1, part 2',
      selectId: 'rule-0-part-1-attribute',
      options: ROLE_OPTIONS,
    });
    const select = element.querySelector('select');
    expect(select.getAttribute('aria-label')).toBe('Pryzm attribute of rule 1, part 2');
    expect(element.querySelector('label').textContent).toBe('Pryzm attribute');
  });
});
