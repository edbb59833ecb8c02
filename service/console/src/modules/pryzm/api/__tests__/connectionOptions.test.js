import { connectionOptions } from 'pryzm/api';
import CONNECTIONS from './data/connections.json';

describe('connectionOptions', () => {
  it('names each org and selects the page’s connection', () => {
    expect(connectionOptions(CONNECTIONS, 'conn-2')).toEqual([
      { id: 'conn-1', label: 'Acme UAT', selected: false },
      { id: 'conn-2', label: 'Globex sandbox', selected: true },
    ]);
  });

  it('adds the user the org is connected as when asked', () => {
    expect(connectionOptions(CONNECTIONS, 'conn-1', { withUser: true })[0]).toEqual({
      id: 'conn-1',
      label: 'Acme UAT (admin@acme.example.com)',
      selected: true,
    });
  });
});
