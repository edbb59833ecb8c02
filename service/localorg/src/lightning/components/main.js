import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import AppPage from 'one/appPage';
import RecordPage from 'one/recordPage';
import { pageContext } from 'salesforce/context';

// Lightning renders the package's components with synthetic shadow DOM, so the Lightning Design
// System's global stylesheet reaches inside them; the local org's pages do the same.
const page =
  pageContext().page === 'record'
    ? createElement('one-record-page', { is: RecordPage })
    : createElement('one-app-page', { is: AppPage });
// The page's one mount point, outside any component.
// eslint-disable-next-line @lwc/lwc/no-document-query
document.getElementById('root').appendChild(page);
