import { mount } from 'console-test-support';
import CardHost from './cardHost/cardHost';

describe('pryzm-card', () => {
  it('names the card with its heading and puts actions and body in their places', async () => {
    const element = mount('pryzm-card-host', CardHost);
    const article = element.querySelector('article');
    expect(article.getAttribute('aria-labelledby')).toBe('access-licences-title');
    const heading = article.querySelector('h2');
    expect(heading.id).toBe('access-licences-title');
    expect(heading.textContent).toBe('Licences');
    expect(article.querySelector('.slds-media__body p').textContent).toBe('Seats per licence');
    expect(article.querySelector('.slds-no-flex button').textContent).toBe('Refresh');
    expect(article.lastElementChild.className).toBe('slds-card__body slds-card__body_inner');
    await expect(element).toBeAccessible();
  });

  it('leaves the line under the heading out when there is none', () => {
    const element = mount('pryzm-card-host', CardHost, { description: '' });
    expect(element.querySelector('.slds-media__body p')).toBeNull();
  });
});
