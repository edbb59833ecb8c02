/** An in-memory QueryDataSource over the recorded describes, for the SOQL engine's tests. */
import { readFileSync } from 'node:fs';
import type { QueryDataSource, SObjectDescribe, StoredRecord } from '../../core/contracts.ts';

const describes = JSON.parse(
  readFileSync(new URL('./describes.json', import.meta.url), 'utf8'),
) as Record<string, SObjectDescribe>;

export class MemorySource implements QueryDataSource {
  private readonly byObject = new Map<string, StoredRecord[]>();
  private readonly byId = new Map<string, { objectName: string; record: StoredRecord }>();

  constructor(data: Record<string, Partial<StoredRecord>[]>) {
    for (const [objectName, rows] of Object.entries(data)) {
      const stored = rows.map((row) => ({ IsDeleted: false, ...row }) as StoredRecord);
      this.byObject.set(objectName.toLowerCase(), stored);
      for (const record of stored) {
        this.byId.set(record.Id, { objectName, record });
        this.byId.set(record.Id.slice(0, 15), { objectName, record });
      }
    }
  }

  describe(objectName: string): SObjectDescribe | undefined {
    const key = Object.keys(describes).find((k) => k.toLowerCase() === objectName.toLowerCase());
    return key ? describes[key] : undefined;
  }

  records(objectName: string): Iterable<StoredRecord> {
    return this.byObject.get(objectName.toLowerCase()) ?? [];
  }

  findById(id: string): { objectName: string; record: StoredRecord } | undefined {
    return this.byId.get(id) ?? this.byId.get(id.slice(0, 15));
  }
}

/** Ids in Salesforce's 18-character form with the object's key prefix. */
export function fakeId(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(12, '0')}AAA`;
}

export const USER_1 = fakeId('005', 1);
export const USER_2 = fakeId('005', 2);
export const ACC_1 = fakeId('001', 1);
export const ACC_2 = fakeId('001', 2);
export const ACC_3 = fakeId('001', 3);
export const ACC_DELETED = fakeId('001', 4);

/** A small org: two users, four accounts (one deleted), contacts and opportunities. */
export function sampleSource(): MemorySource {
  return new MemorySource({
    User: [
      { Id: USER_1, Name: 'Ada Admin', Email: 'ada@example.com', IsActive: true, ManagerId: null },
      { Id: USER_2, Name: 'Bo Sales', Email: 'bo@example.com', IsActive: true, ManagerId: USER_1 },
    ],
    Account: [
      {
        Id: ACC_1,
        Name: 'Acme',
        Industry: 'Energy',
        NumberOfEmployees: 100,
        AnnualRevenue: 5000.5,
        OwnerId: USER_1,
        ParentId: null,
        CreatedDate: '2026-01-31T12:00:00.000+0000',
        SLAExpirationDate__c: '2026-03-01',
        Active__c: true,
        Regions__c: 'North;East',
      },
      {
        Id: ACC_2,
        Name: 'globex',
        Industry: 'Banking',
        NumberOfEmployees: 20,
        AnnualRevenue: null,
        OwnerId: USER_2,
        ParentId: ACC_1,
        CreatedDate: '2026-02-14T08:30:00.000+0000',
        SLAExpirationDate__c: null,
        Active__c: false,
        Regions__c: 'South',
      },
      {
        Id: ACC_3,
        Name: "O'Brien 50% Ltd_",
        Industry: null,
        NumberOfEmployees: null,
        AnnualRevenue: 10,
        OwnerId: USER_1,
        ParentId: ACC_2,
        CreatedDate: '2025-12-31T23:59:59.000+0000',
        SLAExpirationDate__c: '2025-12-01',
        Active__c: true,
        Regions__c: null,
      },
      {
        Id: ACC_DELETED,
        IsDeleted: true,
        Name: 'Gone Inc',
        Industry: 'Energy',
        NumberOfEmployees: 5,
        OwnerId: USER_1,
        CreatedDate: '2026-01-01T00:00:00.000+0000',
      },
    ],
    Contact: [
      {
        Id: fakeId('003', 1),
        LastName: 'Lovelace',
        FirstName: 'Ada',
        Name: 'Ada Lovelace',
        AccountId: ACC_1,
        OwnerId: USER_2,
        Email: 'ada@acme.test',
        Birthdate: '1990-12-10',
        MailingStreet: '1 Main St',
        MailingCity: 'London',
        MailingPostalCode: null,
        MailingCountry: 'UK',
      },
      {
        Id: fakeId('003', 2),
        LastName: 'Hopper',
        FirstName: 'Grace',
        Name: 'Grace Hopper',
        AccountId: ACC_1,
        OwnerId: USER_1,
        Email: null,
        Birthdate: null,
      },
      {
        Id: fakeId('003', 3),
        LastName: 'Turing',
        FirstName: 'Alan',
        Name: 'Alan Turing',
        AccountId: ACC_2,
        OwnerId: USER_1,
        Email: 'alan@globex.test',
        Birthdate: '1985-06-23',
      },
      {
        Id: fakeId('003', 4),
        LastName: 'Nobody',
        FirstName: null,
        Name: 'Nobody',
        AccountId: null,
        OwnerId: USER_1,
        Email: null,
        Birthdate: null,
      },
    ],
    Opportunity: [
      {
        Id: fakeId('006', 1),
        Name: 'Big deal',
        AccountId: ACC_1,
        StageName: 'Closed Won',
        Amount: 300,
        CloseDate: '2026-01-15',
        IsWon: true,
        OwnerId: USER_1,
      },
      {
        Id: fakeId('006', 2),
        Name: 'Small deal',
        AccountId: ACC_1,
        StageName: 'Prospecting',
        Amount: 100,
        CloseDate: '2026-02-20',
        IsWon: false,
        OwnerId: USER_2,
      },
      {
        Id: fakeId('006', 3),
        Name: 'Other deal',
        AccountId: ACC_2,
        StageName: 'Closed Won',
        Amount: 50,
        CloseDate: '2025-11-05',
        IsWon: true,
        OwnerId: USER_2,
      },
      {
        Id: fakeId('006', 4),
        Name: 'No amount',
        AccountId: null,
        StageName: 'Prospecting',
        Amount: null,
        CloseDate: '2026-02-21',
        IsWon: false,
        OwnerId: USER_1,
      },
    ],
  });
}
