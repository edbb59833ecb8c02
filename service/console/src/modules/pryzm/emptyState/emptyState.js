import { LightningElement, api } from 'lwc';

/**
 * What a page shows when it has nothing to list, or nothing the caller's role may see: an icon,
 * a heading, a sentence that says what to do, and any action in the default slot.
 */
export default class EmptyState extends LightningElement {
  static renderMode = 'light';

  @api heading;
  @api message;
  /** A utility-sprite icon name; `lock` for pages the role may not open. */
  @api icon;
  /** The heading's level, so it fits the page's outline (2 by default). */
  @api level;

  get iconHref() {
    return `assets/icons/utility-sprite/svg/symbols.svg#${this.icon || 'info'}`;
  }

  get isLevelThree() {
    return String(this.level) === '3';
  }
}
