/** How the console names webhook event types and shows a subscription's value filter. */

/** The event types a subscription may name, as the API lists them (README, "Webhooks"). */
export const WEBHOOK_EVENTS = [
  { value: 'record.created', label: 'Record created' },
  { value: 'record.updated', label: 'Record updated' },
  { value: 'record.deleted', label: 'Record deleted' },
  { value: 'job.finished', label: 'Job finished' },
  { value: 'job.failed', label: 'Job failed' },
  { value: 'conflict.created', label: 'Conflict created' },
];

const OPERATOR_SIGNS = {
  eq: '=',
  ne: '≠',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  in: 'in',
  contains: 'contains',
};

/** A filter as one line: `stage = "Closed Won" and amount > 50000`. */
export function filterText(filter) {
  if (!filter) return 'Every event';
  const conditions = filter.all || filter.any || [];
  const joiner = filter.any ? ' or ' : ' and ';
  return conditions
    .map((condition) => {
      if (condition.op === 'exists') return `${condition.attribute} has a value`;
      const value = Array.isArray(condition.value)
        ? `(${condition.value.map((v) => JSON.stringify(v)).join(', ')})`
        : JSON.stringify(condition.value);
      return `${condition.attribute} ${OPERATOR_SIGNS[condition.op]} ${value}`;
    })
    .join(joiner);
}

/** An event type as people read it. */
export const eventLabel = (type) =>
  WEBHOOK_EVENTS.find((event) => event.value === type)?.label || type;
