import { z } from 'zod';

/**
 * A webhook's filter on values: conditions on attributes, all of which (`all`) or any of which
 * (`any`) must hold. `{"all":[{"attribute":"stage","op":"eq","value":"Closed Won"},
 * {"attribute":"amount","op":"gt","value":50000}]}` passes only won deals above 50,000.
 * Structured JSON rather than an expression language: nothing to parse, nothing to inject.
 */
const scalar = z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]);

export const conditionSchema = z.discriminatedUnion('op', [
  z
    .object({
      attribute: z.string().min(1).max(100),
      op: z.enum(['eq', 'ne']),
      value: scalar,
    })
    .strict(),
  z
    .object({
      attribute: z.string().min(1).max(100),
      op: z.enum(['gt', 'gte', 'lt', 'lte']),
      value: z.union([z.number().finite(), z.string().max(100)]),
    })
    .strict(),
  z
    .object({
      attribute: z.string().min(1).max(100),
      op: z.literal('in'),
      value: z.array(scalar).min(1).max(100),
    })
    .strict(),
  z
    .object({
      attribute: z.string().min(1).max(100),
      op: z.literal('contains'),
      value: z.string().max(1000),
    })
    .strict(),
  z.object({ attribute: z.string().min(1).max(100), op: z.literal('exists') }).strict(),
]);
export type Condition = z.infer<typeof conditionSchema>;

export const valueFilterSchema = z.union([
  z.object({ all: z.array(conditionSchema).min(1).max(20) }).strict(),
  z.object({ any: z.array(conditionSchema).min(1).max(20) }).strict(),
]);
export type ValueFilter = z.infer<typeof valueFilterSchema>;

const own = (values: Record<string, unknown>, key: string): unknown =>
  Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined;

/** Numbers compare as numbers; ISO dates and other strings compare as strings. */
function compare(actual: unknown, expected: number | string): number | null {
  if (typeof expected === 'number') {
    return typeof actual === 'number' ? actual - expected : null;
  }
  return typeof actual === 'string' ? actual.localeCompare(expected) : null;
}

function holds(condition: Condition, values: Record<string, unknown>): boolean {
  const actual = own(values, condition.attribute);
  switch (condition.op) {
    case 'exists':
      return actual !== undefined && actual !== null && actual !== '';
    case 'eq':
      return (actual ?? null) === condition.value;
    case 'ne':
      return (actual ?? null) !== condition.value;
    case 'in':
      return condition.value.includes((actual ?? null) as never);
    case 'contains':
      return Array.isArray(actual)
        ? actual.includes(condition.value)
        : typeof actual === 'string' &&
            actual.toLowerCase().includes(condition.value.toLowerCase());
    default: {
      const order = compare(actual, condition.value);
      if (order === null) return false;
      if (condition.op === 'gt') return order > 0;
      if (condition.op === 'gte') return order >= 0;
      if (condition.op === 'lt') return order < 0;
      return order <= 0;
    }
  }
}

/** Whether the values pass the filter (no filter passes everything). */
export function matchesFilter(
  filter: ValueFilter | null,
  values: Record<string, unknown>,
): boolean {
  if (!filter) return true;
  if ('all' in filter) return filter.all.every((condition) => holds(condition, values));
  return filter.any.some((condition) => holds(condition, values));
}
