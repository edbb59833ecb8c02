import { mount } from 'console-test-support';
import ShownOnce from 'pryzm/shownOnce';

/** Lets the clipboard's promise settle and the component render again. */
function flushPromises() {
  return Promise.resolve()
    .then(() => Promise.resolve())
    .then(() => Promise.resolve());
}

const create = () =>
  mount('pryzm-shown-once', ShownOnce, {
    heading: 'Key created',
    message: 'Copy it now: it is not shown again.',
    secret: 'pryzm_live_x',
  });

describe('pryzm-shown-once', () => {
  afterEach(() => {
    delete navigator.clipboard;
  });

  it('shows the secret once with what it is for', async () => {
    const element = create();
    expect(element.querySelector('h2').textContent).toBe('Key created');
    expect(element.querySelector('[data-id="secret"]').textContent).toBe('pryzm_live_x');
    await expect(element).toBeAccessible();
  });

  it('copies the secret and says so, and says when the person is done', async () => {
    const writeText = jest.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const element = create();
    const [copy, done] = element.querySelectorAll('button');
    copy.click();
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith('pryzm_live_x');
    expect(copy.textContent).toBe('Copied');
    const handler = jest.fn();
    element.addEventListener('done', handler);
    done.click();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('keeps the text to select by hand when there is no clipboard', async () => {
    const writeText = jest.fn(() => Promise.reject(new Error('denied')));
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const element = create();
    const copy = element.querySelector('button');
    copy.click();
    await flushPromises();
    expect(copy.textContent).toBe('Copy');
  });
});
