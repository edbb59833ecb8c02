import { LightningElement, api } from 'lwc';

/**
 * A list drawn as SLDS's data table (https://www.lightningdesignsystem.com/components/data-tables/):
 * the column headers from `columns`, the page's own rows (`<tr>`s in a `for:each` template) in the
 * default slot, and, when the list is `empty`, the empty state the page names instead of the table
 * (or nothing, when the page says it another way).
 */
export default class DataTable extends LightningElement {
  static renderMode = 'light';

  /** The table's accessible name, e.g. "Members list". */
  @api label;
  /** `[{ label, className?, assistive? }]`; an `assistive` header is read out but not shown. */
  @api columns;
  /** Classes of the box around the table: `slds-card pryzm-table-scroll` for a page's list. */
  @api frameClass;
  /** Classes added to SLDS's bordered table, e.g. `slds-table_fixed-layout`. */
  @api tableModifiers;
  @api empty = false;
  @api emptyHeading;
  @api emptyIcon;
  @api emptyMessage;
  @api emptyLevel;

  get headers() {
    return (this.columns || []).map((column, index) => ({ ...column, key: `${index}` }));
  }

  get showEmptyState() {
    return Boolean(this.empty && this.emptyHeading);
  }

  get showTable() {
    return !this.empty;
  }

  /**
   * A box that scrolls sideways takes the keyboard focus, so that a keyboard user can scroll it
   * when none of its rows holds a control (WCAG 2.1.1; axe's scrollable-region-focusable), and
   * is a named region a screen reader announces when it gets there.
   */
  get scrolls() {
    return Boolean(this.frameClass && this.frameClass.split(/\s+/).includes('pryzm-table-scroll'));
  }

  get frameRole() {
    return this.scrolls ? 'region' : undefined;
  }

  get frameLabel() {
    return this.scrolls ? this.label : undefined;
  }

  get frameTabIndex() {
    return this.scrolls ? '0' : undefined;
  }

  get tableClass() {
    const base = 'slds-table slds-table_cell-buffer slds-table_bordered';
    return this.tableModifiers ? `${base} ${this.tableModifiers}` : base;
  }
}
