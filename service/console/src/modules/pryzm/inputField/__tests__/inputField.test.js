import { createElement } from 'lwc';
import InputField from 'pryzm/inputField';
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();

function create(props) {
  const element = createElement('pryzm-input-field', { is: InputField });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

describe('pryzm-input-field', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

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
});
