import { LightningElement, api } from 'lwc';

/** SLDS button variants (https://www.lightningdesignsystem.com/components/buttons/) a row uses. */
const VARIANTS = {
  neutral: 'slds-button slds-button_neutral',
  destructive: 'slds-button slds-button_text-destructive',
  outline: 'slds-button slds-button_outline-brand',
};

/**
 * The buttons at the end of a list's row (Edit, Delete, Revoke, Remove…), one SLDS button each,
 * spaced as SLDS spaces a button group. A click says the action's `name` as an event of that
 * name, with the row's `id` in its detail, so a page listens with `onremove`, `onrevoke`…
 */
export default class RowActions extends LightningElement {
  static renderMode = 'light';

  /** The id of the row's record, in every event's detail and as `data-id` on every button. */
  @api itemId;
  /**
   * `[{ name, label, assistiveLabel?, variant?, disabled? }]`: `assistiveLabel` names the button
   * for screen readers with its row ("Remove Ada Lovelace"); `variant` is `neutral` (the
   * default), `destructive` or `outline`.
   */
  @api actions;

  get buttons() {
    return (this.actions || []).map((action, index) => {
      const variant = VARIANTS[action.variant] || VARIANTS.neutral;
      return { ...action, className: index > 0 ? `${variant} slds-m-left_x-small` : variant };
    });
  }

  handleClick(event) {
    const name = event.currentTarget.dataset.action;
    this.dispatchEvent(new CustomEvent(name, { detail: { id: this.itemId } }));
  }
}
