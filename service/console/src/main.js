import { createElement } from 'lwc';
import App from 'pryzm/app';

const app = createElement('pryzm-app', { is: App });
// The page's one mount point, outside any component.
// eslint-disable-next-line @lwc/lwc/no-document-query
document.getElementById('root').appendChild(app);
