import { mount } from 'console-test-support';
import RowActions from 'pryzm/rowActions';
import MEMBER_ACTIONS from './data/memberActions.json';

const create = () =>
  mount('pryzm-row-actions', RowActions, { itemId: 'member-1', actions: MEMBER_ACTIONS });

describe('pryzm-row-actions', () => {
  it('draws one SLDS button an action, named for screen readers with its row', async () => {
    const element = create();
    const buttons = [...element.querySelectorAll('button')];
    expect(buttons.map((button) => button.textContent.trim())).toEqual([
      'Tokens',
      'Sign-in link',
      'Remove',
      'Redeliver',
    ]);
    expect(buttons.map((button) => button.className)).toEqual([
      'slds-button slds-button_neutral',
      'slds-button slds-button_neutral slds-m-left_x-small',
      'slds-button slds-button_text-destructive slds-m-left_x-small',
      'slds-button slds-button_outline-brand slds-m-left_x-small',
    ]);
    expect(buttons[2].getAttribute('aria-label')).toBe('Remove Ada Lovelace');
    expect(buttons[3].hasAttribute('aria-label')).toBe(false);
    expect(buttons[3].disabled).toBe(true);
    expect(buttons.every((button) => button.dataset.id === 'member-1')).toBe(true);
    await expect(element).toBeAccessible();
  });

  it('says the action pressed as an event of its name, with the row’s id', () => {
    const element = create();
    const removed = jest.fn();
    const tokens = jest.fn();
    element.addEventListener('remove', removed);
    element.addEventListener('tokens', tokens);
    element.querySelectorAll('button')[2].click();
    expect(removed).toHaveBeenCalledTimes(1);
    expect(removed.mock.calls[0][0].detail).toEqual({ id: 'member-1' });
    expect(tokens).not.toHaveBeenCalled();
  });

  it('draws nothing without actions', () => {
    const element = mount('pryzm-row-actions', RowActions);
    expect(element.querySelector('button')).toBeNull();
  });
});
