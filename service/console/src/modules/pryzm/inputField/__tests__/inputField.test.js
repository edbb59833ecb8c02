import { mount } from 'console-test-support';
import InputField from 'pryzm/inputField';

const create = (props) => mount('pryzm-input-field', InputField, props);

describe('pryzm-input-field', () => {
  it('labels a text input and leaves out what it was not given', async () => {
    const element = create({
      label: 'New key’s name',
      inputId: 'key-name',
      maxLength: 120,
      placeholder: 'e.g. Nightly export',
    });
    const input = element.querySelector('input');
    expect(element.querySelector('label').getAttribute('for')).toBe('key-name');
    expect(element.querySelector('label').textContent.trim()).toBe('New key’s name');
    expect(input.type).toBe('text');
    expect(input.maxLength).toBe(120);
    expect(input.placeholder).toBe('e.g. Nightly export');
    expect(input.required).toBe(false);
    expect(input.hasAttribute('min')).toBe(false);
    expect(input.hasAttribute('data-autofocus')).toBe(false);
    expect(element.querySelector('abbr')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('marks a required input and the control a dialog focuses first', async () => {
    const element = create({
      label: 'Email',
      inputId: 'new-member-email',
      type: 'email',
      required: true,
      field: 'email',
      focusFirst: true,
    });
    const input = element.querySelector('input');
    expect(input.type).toBe('email');
    expect(input.required).toBe(true);
    expect(input.dataset.field).toBe('email');
    expect(input.hasAttribute('data-autofocus')).toBe(true);
    expect(element.querySelector('label').textContent.replace(/\s+/g, ' ').trim()).toBe('* Email');
    await expect(element).toBeAccessible();
  });

  it('shows a number with its bounds and hands its events to the page', () => {
    const element = create({
      label: 'Hours between scheduled pulls',
      inputId: 'access-interval',
      type: 'number',
      name: 'pullIntervalHours',
      min: 0,
      max: 720,
      value: 24,
    });
    const input = element.querySelector('input');
    expect(input.value).toBe('24');
    expect(input.min).toBe('0');
    expect(input.max).toBe('720');
    const seen = [];
    element.addEventListener('change', (event) =>
      seen.push([event.target.name, event.target.value]),
    );
    input.value = '12';
    input.dispatchEvent(new CustomEvent('change', { bubbles: true }));
    expect(seen).toEqual([['pullIntervalHours', '12']]);
  });

  it('leaves the asterisk out in a form whose every field is required, and can be disabled', () => {
    const element = create({
      label: 'Days without a login',
      inputId: 'access-inactive-days',
      type: 'number',
      required: true,
      plainLabel: true,
      disabled: true,
    });
    const input = element.querySelector('input');
    expect(input.required).toBe(true);
    expect(input.disabled).toBe(true);
    expect(element.querySelector('abbr')).toBeNull();
  });

  it('names the input for screen readers only when the page gives a longer name', () => {
    const plain = create({ label: 'Search', inputId: 'records-search', type: 'search' });
    expect(plain.querySelector('input').hasAttribute('aria-label')).toBe(false);
    const named = create({
      label: 'Salesforce field',
      assistiveLabel: 'Salesforce field of rule 1, part 1',
      inputId: 'rule-0-part-0-field',
    });
    expect(named.querySelector('input').getAttribute('aria-label')).toBe(
      'Salesforce field of rule 1, part 1',
    );
  });

  it('hides the label from sight only where the row shows what the input is', () => {
    const element = create({
      label: 'Attribute of condition 1',
      inputId: 'condition-1-attribute',
      placeholder: 'attribute, e.g. stage',
      field: 'attribute',
      labelHidden: true,
    });
    expect(element.querySelector('label').className).toBe('slds-assistive-text');
    expect(element.querySelector('.slds-form-element')).toBeNull();
    expect(element.querySelector('input').dataset.field).toBe('attribute');
  });
});
