/* global document */
import { createElement } from 'lwc';

/** Creates the component as `tag` with its properties set, and puts it in the page. */
export function mount(tag, component, properties = {}) {
  const element = createElement(tag, { is: component });
  Object.assign(element, properties);
  document.body.appendChild(element);
  return element;
}
