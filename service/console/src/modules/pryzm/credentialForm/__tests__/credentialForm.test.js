import { mount } from 'console-test-support';
import CredentialForm from 'pryzm/credentialForm';
import KEY_FORM from './data/keyForm.json';

const DAY_MS = 24 * 60 * 60 * 1000;

const create = (props) => mount('pryzm-credential-form', CredentialForm, props);

function change(control, value, type = 'change') {
  control.value = value;
  control.dispatchEvent(new CustomEvent(type, { bubbles: true }));
  return Promise.resolve();
}

describe('pryzm-credential-form', () => {
  it('asks for a name, a role and an expiry, and creates nothing without a name', async () => {
    const element = create(KEY_FORM);
    expect(element.querySelector('label[for="key-name"]').textContent.trim()).toBe(
      'New key’s name',
    );
    expect(element.querySelector('#key-role').value).toBe('admin');
    expect(element.querySelector('#key-expiry').value).toBe('never');
    const submit = element.querySelector('button[type="submit"]');
    expect(submit.textContent.trim()).toBe('Create key');
    expect(submit.disabled).toBe(true);
    await change(element.querySelector('#key-name'), 'CI reader', 'input');
    expect(submit.disabled).toBe(false);
    await expect(element).toBeAccessible();
  });

  it('says create with the name, the role and the expiry as the API takes them', async () => {
    const element = create(KEY_FORM);
    const handler = jest.fn();
    element.addEventListener('create', handler);
    await change(element.querySelector('#key-name'), '  CI reader  ', 'input');
    await change(element.querySelector('#key-role'), 'viewer');
    await change(element.querySelector('#key-expiry'), '30');
    const before = Date.now();
    element.querySelector('form').dispatchEvent(new CustomEvent('submit', { cancelable: true }));
    expect(handler).toHaveBeenCalledTimes(1);
    const { name, role, expiresAt } = handler.mock.calls[0][0].detail;
    expect({ name, role }).toEqual({ name: 'CI reader', role: 'viewer' });
    const inDays = (Date.parse(expiresAt) - before) / DAY_MS;
    expect(inDays).toBeGreaterThan(29.9);
    expect(inDays).toBeLessThan(30.1);
  });

  it('waits for the date when the expiry is a date, and leaves the role out for a token', async () => {
    const element = create({
      idPrefix: 'token',
      nameLabel: 'Token name',
      submitLabel: 'Create token',
      defaultExpiry: '90',
    });
    expect(element.querySelector('#token-role')).toBeNull();
    expect(element.querySelector('#token-expiry').value).toBe('90');
    await change(element.querySelector('#token-name'), 'Laptop', 'input');
    await change(element.querySelector('#token-expiry'), 'date');
    const submit = element.querySelector('button[type="submit"]');
    expect(submit.disabled).toBe(true);
    await change(element.querySelector('#token-expiry-date'), '2099-01-31');
    expect(submit.disabled).toBe(false);
    const handler = jest.fn();
    element.addEventListener('create', handler);
    element.querySelector('form').dispatchEvent(new CustomEvent('submit', { cancelable: true }));
    const detail = handler.mock.calls[0][0].detail;
    expect(Object.keys(detail).sort()).toEqual(['expiresAt', 'name']);
    expect(new Date(detail.expiresAt).getFullYear()).toBe(2099);
  });

  it('clears the name once the page has created the key', async () => {
    const element = create(KEY_FORM);
    await change(element.querySelector('#key-name'), 'CI reader', 'input');
    element.reset();
    await Promise.resolve();
    expect(element.querySelector('#key-name').value).toBe('');
    expect(element.querySelector('button[type="submit"]').disabled).toBe(true);
  });
});
