import type { StoredRecord } from '../core/contracts.ts';
import { derivedFields } from '../org/derived-fields.ts';
import type { Org } from '../org/org.ts';
import type { RecordTable } from '../org/store.ts';
import { formatDateTime } from '../org/values.ts';
import { seedAccess, type AccessSeedResult } from './access-seed.ts';
import { random } from './random.ts';
import {
  ACCOUNT_TYPES,
  CITIES,
  COMPANY_FIRST,
  COMPANY_SECOND,
  COMPANY_SUFFIX,
  FIRST_NAMES,
  INDUSTRIES,
  LAST_NAMES,
  PRODUCTS,
  STAGES,
  TITLES,
} from './names.ts';

/**
 * Deterministic demo data: the same counts and seed give the same records and ids. Records
 * are written straight to the store (as a data import would, without DML events), so a
 * million of them load in seconds.
 */

export interface SeedOptions {
  accounts: number;
  contacts: number;
  opportunities: number;
  /** Seed of the pseudo-random sequence. */
  seed?: number;
  /** Access governance: this many users with roles, licences, assignments, logins and tokens. */
  users?: number;
  /** LoginHistory rows over the last 120 days (default 20 per user). */
  logins?: number;
}

export interface SeedResult {
  accounts: number;
  contacts: number;
  opportunities: number;
  access?: AccessSeedResult;
  milliseconds: number;
}

const BASE_TIME = Date.UTC(2025, 0, 6, 9, 0, 0);
const DAY = 86_400_000;

export function seedOrg(org: Org, options: SeedOptions): SeedResult {
  const started = Date.now();
  const rnd = random(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const owners = org.users.map((u) => u.id);
  const table = (name: string): RecordTable => {
    const t = org.store.table(name);
    if (!t) throw new Error(`${name} is not in the schema`);
    return t;
  };
  const accounts = table('Account');
  const contacts = table('Contact');
  const opportunities = table('Opportunity');
  // Ten records a second of seeded history; the text is formatted once per second.
  let lastSecond = -1;
  let lastText = '';
  const stamp = (i: number): Record<string, string> => {
    const second = Math.floor(i / 10);
    if (second !== lastSecond) {
      lastSecond = second;
      lastText = formatDateTime(BASE_TIME + second * 1000);
    }
    return { CreatedDate: lastText, LastModifiedDate: lastText, SystemModstamp: lastText };
  };
  const accountIds: string[] = [];
  const accountNames: string[] = [];
  for (let i = 0; i < options.accounts; i++) {
    const owner = pick(owners);
    const name = `${pick(COMPANY_FIRST)} ${pick(COMPANY_SECOND)} ${pick(COMPANY_SUFFIX)}`;
    const [city, state, country] = pick(CITIES);
    const id = org.ids.next('001');
    const parent =
      i > 10 && rnd() < 0.1 ? accountIds[Math.floor(rnd() * accountIds.length)] : undefined;
    const record: StoredRecord = {
      Id: id,
      IsDeleted: false,
      Name: name,
      Type: pick(ACCOUNT_TYPES),
      Industry: pick(INDUSTRIES),
      AnnualRevenue: Math.round(rnd() * 500) * 100_000,
      NumberOfEmployees: 5 + Math.floor(rnd() * 20_000),
      BillingCity: city,
      BillingState: state || null,
      BillingCountry: country,
      Phone: `(${200 + Math.floor(rnd() * 700)}) 555-${String(Math.floor(rnd() * 10_000)).padStart(4, '0')}`,
      Website: `https://www.${name.split(' ')[0]?.toLowerCase() ?? 'example'}${i}.example.com`,
      OwnerId: owner,
      CreatedById: owner,
      LastModifiedById: owner,
      ...stamp(i),
    };
    if (parent) record['ParentId'] = parent;
    accounts.put(record);
    accountIds.push(id);
    accountNames.push(name);
  }
  for (let i = 0; i < options.contacts; i++) {
    const owner = pick(owners);
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const record: StoredRecord = {
      Id: org.ids.next('003'),
      IsDeleted: false,
      FirstName: first,
      LastName: last,
      Name: `${first} ${last}`,
      Title: pick(TITLES),
      Email: `${first}.${last}.${i}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, ''),
      Phone: `(${200 + Math.floor(rnd() * 700)}) 555-${String(Math.floor(rnd() * 10_000)).padStart(4, '0')}`,
      OwnerId: owner,
      CreatedById: owner,
      LastModifiedById: owner,
      HasOptedOutOfEmail: false,
      DoNotCall: false,
      ...stamp(i),
    };
    if (accountIds.length)
      record['AccountId'] = accountIds[Math.floor(rnd() * accountIds.length)] ?? null;
    contacts.put(record);
  }
  for (let i = 0; i < options.opportunities; i++) {
    const owner = pick(owners);
    const accountIndex = accountIds.length ? Math.floor(rnd() * accountIds.length) : -1;
    const stage = pick(STAGES);
    const record: StoredRecord = {
      Id: org.ids.next('006'),
      IsDeleted: false,
      Name: `${accountIndex >= 0 ? accountNames[accountIndex] : 'Direct'} - ${pick(PRODUCTS)}`,
      StageName: stage,
      Amount: Math.round(rnd() * 200) * 1_000 + 5_000,
      CloseDate: new Date(BASE_TIME + Math.floor(rnd() * 360 - 120) * DAY)
        .toISOString()
        .slice(0, 10),
      OwnerId: owner,
      CreatedById: owner,
      LastModifiedById: owner,
      IsPrivate: false,
      ...stamp(i),
    };
    if (accountIndex >= 0) record['AccountId'] = accountIds[accountIndex] ?? null;
    Object.assign(record, derivedFields('Opportunity', record, new Set(['StageName'])));
    opportunities.put(record);
  }
  const access = options.users
    ? seedAccess(org, { users: options.users, logins: options.logins, seed: options.seed })
    : undefined;
  return {
    accounts: options.accounts,
    contacts: options.contacts,
    opportunities: options.opportunities,
    ...(access ? { access } : {}),
    milliseconds: Date.now() - started,
  };
}
