import { mount } from 'console-test-support';
import ConfirmHost from './confirmHost/confirmHost';

/** Lets the modal's focus move (a microtask after it renders) and the page render again. */
function flushPromises() {
  return Promise.resolve()
    .then(() => Promise.resolve())
    .then(() => Promise.resolve());
}

/** The page with its opener focused, then the confirmation opened over it. */
async function opened() {
  const page = mount('pryzm-confirm-host', ConfirmHost);
  page.querySelector('[data-id="opener"]').focus();
  page.open = true;
  await flushPromises();
  return page;
}

const buttons = (page) => {
  const [cancel, confirm] = page.querySelectorAll('pryzm-confirm button');
  return { cancel, confirm };
};

describe('pryzm-confirm', () => {
  it('asks its question in a warning prompt named by the heading, with Cancel focused first', async () => {
    const page = await opened();
    const dialog = page.querySelector('section');
    expect(dialog.getAttribute('role')).toBe('alertdialog');
    const title = page.querySelector(`#${dialog.getAttribute('aria-labelledby')}`);
    expect(title.textContent).toBe('Revoke CI reader?');
    const body = page.querySelector(`#${dialog.getAttribute('aria-describedby')}`);
    expect(body.textContent).toContain('This cannot be undone.');
    const { cancel, confirm } = buttons(page);
    expect(cancel.textContent.trim()).toBe('Cancel');
    expect(confirm.textContent.trim()).toBe('Revoke');
    expect(confirm.className).toContain('slds-button_destructive');
    // Enter right after opening cancels: nothing is destroyed by accident.
    expect(document.activeElement).toBe(cancel);
    await expect(page).toBeAccessible();
  });

  it('says confirm when the destructive action is pressed', async () => {
    const page = await opened();
    buttons(page).confirm.click();
    await flushPromises();
    expect(page.answers).toEqual(['confirm']);
    expect(page.querySelector('pryzm-confirm')).toBeNull();
  });

  it('says cancel on Cancel and on Escape, and gives focus back to what opened it', async () => {
    const page = await opened();
    buttons(page).cancel.click();
    await flushPromises();
    expect(page.answers).toEqual(['cancel']);
    expect(document.activeElement).toBe(page.querySelector('[data-id="opener"]'));

    page.open = true;
    await flushPromises();
    page
      .querySelector('section')
      .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await flushPromises();
    expect(page.answers).toEqual(['cancel', 'cancel']);
    expect(page.querySelector('pryzm-confirm')).toBeNull();
  });
});
