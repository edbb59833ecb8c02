import { readFileSync } from 'node:fs';
import {
  parseSObjectDescribe,
  type DescribeLookup,
  type FieldDescribe,
  type SObjectDescribe,
} from '../describe-types.ts';

function load(name: string): SObjectDescribe {
  const text = readFileSync(new URL(`./${name}.describe.json`, import.meta.url), 'utf8');
  return parseSObjectDescribe(JSON.parse(text));
}

export const accountDescribe = load('Account');
export const contactDescribe = load('Contact');
export const opportunityDescribe = load('Opportunity');
export const leadDescribe = load('Lead');
export const caseDescribe = load('Case');
export const userDescribe = load('User');
export const projectDescribe = load('Project__c');

const all = [
  accountDescribe,
  contactDescribe,
  opportunityDescribe,
  leadDescribe,
  caseDescribe,
  userDescribe,
  projectDescribe,
];

/** Describes by object name, as a connection's describe cache would answer. */
export const describeFor: DescribeLookup = (name) =>
  all.find((describe) => describe.name.toLowerCase() === name.toLowerCase());

/** The package's Pryzm ID field as a plain (unmanaged) deploy creates it. */
export const pryzmIdField: FieldDescribe = {
  name: 'Pryzm_ID__c',
  label: 'Pryzm ID',
  type: 'string',
  length: 36,
  nillable: true,
  createable: true,
  updateable: true,
  externalId: true,
  unique: true,
  custom: true,
};

/** A copy of a describe with fields added or replaced (matched by name). */
export function withFields(describe: SObjectDescribe, ...fields: FieldDescribe[]): SObjectDescribe {
  const names = new Set(fields.map((field) => field.name.toLowerCase()));
  return {
    ...describe,
    fields: [...describe.fields.filter((field) => !names.has(field.name.toLowerCase())), ...fields],
  };
}

/** A copy of a describe with one field's properties changed. */
export function withFieldChanged(
  describe: SObjectDescribe,
  name: string,
  change: Partial<FieldDescribe>,
): SObjectDescribe {
  return {
    ...describe,
    fields: describe.fields.map((field) => (field.name === name ? { ...field, ...change } : field)),
  };
}

/** Finds a field of a fixture describe, failing loudly when the fixture lacks it. */
export function fieldOf(describe: SObjectDescribe, name: string): FieldDescribe {
  const field = describe.fields.find((candidate) => candidate.name === name);
  if (!field) throw new Error(`${describe.name} fixture has no ${name}`);
  return field;
}
