import { z } from 'zod';
import { attributeKeySchema, type PryzmValues } from './attribute-types.ts';
import { salesforceFieldPathSchema } from './field-mapping.ts';
import { isEmailShape } from './coercion/values.ts';
import { readPath, type SalesforceRecord } from './record-paths.ts';

/** How a value is normalised before two records are compared on first sync. */
export const MATCH_NORMALISERS = [
  'email',
  'company_name',
  'domain',
  'phone',
  'text',
  'exact',
] as const;
export type MatchNormaliser = (typeof MATCH_NORMALISERS)[number];

export const matchRuleSchema = z.object({
  parts: z
    .array(
      z.object({
        salesforceField: salesforceFieldPathSchema,
        attribute: attributeKeySchema,
        normaliser: z.enum(MATCH_NORMALISERS),
      }),
    )
    .min(1),
});
/** Records match when every part's normalised value is equal on both sides. */
export type MatchRule = z.infer<typeof matchRuleSchema>;

const LEGAL_SUFFIXES = new Set(
  'inc incorporated llc llp lp ltd limited corp corporation co company gmbh ag sa sas sarl bv nv plc pty srl spa oy ab kg kk'.split(
    ' ',
  ),
);

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** `Acme, Inc.` and `ACME inc` → `acme`; `Ben & Jerry's` → `ben and jerrys`. */
export function normaliseCompanyName(raw: string): string | null {
  const words = fold(raw)
    .replace(/&/g, ' and ')
    // `S.A.` and `Co.` lose their dots so initials read as one word.
    .replace(/['’.]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((word) => word !== '');
  if (words[0] === 'the' && words.length > 1) words.shift();
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1] ?? '')) words.pop();
  return words.length > 0 ? words.join(' ') : null;
}

/** `https://www.Acme.com/about`, `acme.com`, `jane@acme.com` → `acme.com`. */
export function normaliseDomain(raw: string): string | null {
  let text = fold(raw.trim());
  text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  text = text.replace(/^[^/?#]*@/, '');
  const host = (text.split(/[/?#]/)[0] ?? '').replace(/:\d+$/, '').replace(/\.$/, '');
  const domain = host.replace(/^www\d*\./, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) ? domain : null;
}

/** Lower-cases the whole address (mailboxes are case-insensitive in practice). */
export function normaliseEmailKey(raw: string): string | null {
  const text = raw
    .trim()
    .replace(/^mailto:/i, '')
    .toLowerCase();
  return isEmailShape(text) ? text : null;
}

/** Digits only, with a leading `+` kept; at least seven digits. */
export function normalisePhoneKey(raw: string): string | null {
  const main = raw.split(/\s*(?:x|ext\.?|extension)\s*\d+$/i)[0] ?? '';
  const digits = main.replace(/\D/g, '');
  if (digits.length < 7) return null;
  return main.trim().startsWith('+') ? `+${digits}` : digits;
}

/** Normalises one value for matching; null when there is nothing to match on. */
export function normaliseMatchValue(raw: unknown, normaliser: MatchNormaliser): string | null {
  if (raw == null) return null;
  const text = Array.isArray(raw) ? raw.map(String).join(';') : String(raw);
  if (text.trim() === '') return null;
  switch (normaliser) {
    case 'email':
      return normaliseEmailKey(text);
    case 'company_name':
      return normaliseCompanyName(text);
    case 'domain':
      return normaliseDomain(text);
    case 'phone':
      return normalisePhoneKey(text);
    case 'text':
      return fold(text).trim().replace(/\s+/g, ' ');
    case 'exact':
      return text.trim();
  }
}

function keyOf(
  rule: MatchRule,
  read: (part: MatchRule['parts'][number]) => unknown,
): string | null {
  const pieces: string[] = [];
  for (const part of rule.parts) {
    const value = normaliseMatchValue(read(part), part.normaliser);
    if (value === null) return null;
    pieces.push(`${part.attribute}=${value}`);
  }
  return pieces.join('|');
}

/** The match key of a Salesforce record under one rule; null if a part is missing. */
export function salesforceMatchKey(record: SalesforceRecord, rule: MatchRule): string | null {
  return keyOf(rule, (part) => readPath(record, part.salesforceField));
}

/** The match key of a Pryzm record under one rule; equal to the Salesforce key on a match. */
export function pryzmMatchKey(values: PryzmValues, rule: MatchRule): string | null {
  return keyOf(rule, (part) => values[part.attribute]);
}

/** Keys of a Salesforce record for each rule in order (nulls dropped): try them in order. */
export function salesforceMatchKeys(
  record: SalesforceRecord,
  rules: readonly MatchRule[],
): string[] {
  return rules.map((rule) => salesforceMatchKey(record, rule)).filter((key) => key !== null);
}

/** Keys of a Pryzm record for each rule in order (nulls dropped). */
export function pryzmMatchKeys(values: PryzmValues, rules: readonly MatchRule[]): string[] {
  return rules.map((rule) => pryzmMatchKey(values, rule)).filter((key) => key !== null);
}

/** Contact and Lead by Email; Account by Name + Website; other objects: none. */
export function defaultMatchRules(salesforceObject: string): MatchRule[] {
  switch (salesforceObject.toLowerCase()) {
    case 'contact':
    case 'lead':
      return [
        { parts: [{ salesforceField: 'Email', attribute: 'primary_email', normaliser: 'email' }] },
      ];
    case 'account':
      return [
        {
          parts: [
            { salesforceField: 'Name', attribute: 'name', normaliser: 'company_name' },
            { salesforceField: 'Website', attribute: 'website', normaliser: 'domain' },
          ],
        },
      ];
    default:
      return [];
  }
}
