/** Where the local org serves the Lightning Design System's files for its pages. */
export const ASSETS = '/lightning/assets';

/** The `<use href>` of an SLDS sprite icon such as utility:upload. */
export function iconHref(sprite, symbol) {
  if (!sprite || !symbol) return undefined;
  return `${ASSETS}/icons/${sprite}-sprite/svg/symbols.svg#${symbol}`;
}
