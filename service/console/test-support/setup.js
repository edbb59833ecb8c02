/* global afterEach, document */
import { registerSa11yMatcher } from '@sa11y/jest';

// Every console component test may check the page with axe (`toBeAccessible`), and starts from an
// empty page.
registerSa11yMatcher();

afterEach(() => {
  document.body.replaceChildren();
});
