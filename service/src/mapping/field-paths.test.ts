import { describe, expect, it } from 'vitest';
import { accountDescribe, describeFor } from './__fixtures__/describes.ts';
import type { SObjectDescribe } from './describe-types.ts';
import { resolveField, resolveFieldPath } from './field-paths.ts';
import { readPath } from './record-paths.ts';

const of = (name: string): SObjectDescribe => {
  const found = describeFor(name);
  if (!found) throw new Error(`no fixture for ${name}`);
  return found;
};

describe('resolveFieldPath', () => {
  it.each([
    ['Contact', 'Email', 'Email', false],
    ['Contact', 'email', 'Email', false],
    ['Contact', 'Account.Name', 'Account.Name', true],
    ['Contact', 'account.owner.email', 'Account.Owner.Email', true],
    ['Case', 'Owner.Email', 'Owner.Email', true],
    ['Project__c', 'Account__r.Industry', 'Account__r.Industry', true],
    ['Project__c', 'pryzm__Account__r.Name', 'Account__r.Name', true],
    ['Project__c', 'Pryzm_ID__c', 'pryzm__Pryzm_ID__c', false],
  ])('%s: %s', (object, path, apiPath, isParentPath) => {
    expect(resolveFieldPath(of(object), path, describeFor)).toMatchObject({
      ok: true,
      apiPath,
      isParentPath,
    });
  });

  it.each([
    ['Contact', 'Nope', 'unknown_field'],
    ['Contact', 'Account.Nope', 'unknown_field'],
    ['Contact', 'Nope.Name', 'unknown_relationship'],
    ['Contact', 'Individual.Name', 'unknown_parent_object'],
    ['Contact', 'A.B.C.D.E.F.G', 'unknown_field'],
    ['Contact', 'Account..Name', 'unknown_field'],
  ])('%s: %s is %s', (object, path, code) => {
    expect(resolveFieldPath(of(object), path, describeFor)).toMatchObject({ ok: false, code });
  });

  it('leaves standard names alone when looking for namespaced ones', () => {
    expect(resolveField(accountDescribe, 'pryzm__Name')).toBeUndefined();
  });
});

describe('readPath', () => {
  const rest = { Id: '003', Account: { Name: 'Acme', Owner: null }, Email: null };
  it.each([
    ['Id', '003'],
    ['Account.Name', 'Acme'],
    ['account.name', 'Acme'],
    ['Account.Owner.Email', null],
    ['Email', null],
    ['Phone', undefined],
    ['Account.Website', undefined],
  ])('%s from a REST record', (path, value) => {
    expect(readPath(rest, path)).toBe(value);
  });

  it('prefers a flat CSV column named by the whole path', () => {
    expect(readPath({ 'Account.Name': 'Acme' }, 'Account.Name')).toBe('Acme');
    expect(readPath({ Account: null }, 'Account.Name')).toBeNull();
  });
});

describe('resolveFieldPath with a refreshed describe cache', () => {
  it('sees parent fields added after a first lookup', () => {
    const contact = describeFor('Contact') as SObjectDescribe;
    let account: SObjectDescribe = accountDescribe;
    const lookup = (name: string) => (name === 'Account' ? account : describeFor(name));
    expect(resolveFieldPath(contact, 'Account.Tier__c', lookup).ok).toBe(false);
    account = {
      ...accountDescribe,
      fields: [
        ...accountDescribe.fields,
        { name: 'Tier__c', type: 'string', nillable: true, createable: true, updateable: true },
      ],
    };
    expect(resolveFieldPath(contact, 'Account.Tier__c', lookup)).toMatchObject({ ok: true });
  });
});
