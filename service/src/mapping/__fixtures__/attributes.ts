import type { AttributeDefinition } from '../attribute-types.ts';

/** One attribute of each type, as tests use them. */
export const attributes = {
  text: { key: 'title', name: 'Title', type: 'text', maxLength: 10 },
  longText: { key: 'notes', name: 'Notes', type: 'long_text' },
  number: { key: 'seats', name: 'Seats', type: 'number' },
  currency: { key: 'budget', name: 'Budget', type: 'currency', currencyCode: 'USD', decimals: 2 },
  percent: { key: 'completion', name: 'Completion', type: 'percent' },
  date: { key: 'start', name: 'Start', type: 'date' },
  datetime: { key: 'kickoff', name: 'Kickoff', type: 'datetime' },
  boolean: { key: 'active', name: 'Active', type: 'boolean' },
  select: {
    key: 'status',
    name: 'Status',
    type: 'select',
    options: [
      { value: 'Planned', label: 'Planned' },
      { value: 'In Progress', label: 'In progress' },
      { value: 'Done', label: 'Done' },
      { value: 'dropped', label: 'Dropped' },
    ],
  },
  multiSelect: {
    key: 'tags',
    name: 'Tags',
    type: 'multi_select',
    options: [
      { value: 'Alpha', label: 'Alpha' },
      { value: 'Beta', label: 'Beta' },
      { value: 'Gamma', label: 'Gamma' },
      { value: 'delta', label: 'Delta' },
    ],
  },
  email: { key: 'email', name: 'Email', type: 'email' },
  phone: { key: 'phone', name: 'Phone', type: 'phone' },
  url: { key: 'site', name: 'Site', type: 'url' },
  reference: {
    key: 'organization',
    name: 'Organization',
    type: 'reference',
    targetRecordType: 'organization',
  },
} satisfies Record<string, AttributeDefinition>;
