import { LightningElement, api } from 'lwc';

/**
 * The SLDS page header (https://www.lightningdesignsystem.com/components/page-headers/) every
 * console page opens with: an icon from the standard sprite, breadcrumbs, the page's one h1,
 * a line saying what the page is for, more lines in the `meta` slot, and the page's actions in
 * the `actions` slot.
 */
export default class PageHeader extends LightningElement {
  static renderMode = 'light';

  @api heading;
  @api description;
  /** A standard-sprite icon name, e.g. `user_role`; none when left out. */
  @api icon;
  /** `[{ label, href }]` shown above the heading. */
  @api breadcrumbs;

  get hasIcon() {
    return Boolean(this.icon);
  }

  get iconHref() {
    return `assets/icons/standard-sprite/svg/symbols.svg#${this.icon}`;
  }

  /** SLDS names an icon's background after it, with dashes: `slds-icon-standard-user-role`. */
  get iconContainerClass() {
    return `slds-icon_container slds-icon-standard-${String(this.icon).replace(/_/g, '-')}`;
  }

  get crumbs() {
    return (this.breadcrumbs || []).map((crumb, index) => ({ ...crumb, key: `${index}` }));
  }

  get hasBreadcrumbs() {
    return this.crumbs.length > 0;
  }
}
