import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '../src/index.ts';

/**
 * Deleting an Account as Salesforce does: its Contacts and Opportunities go to the recycle bin
 * with it, an Account (or a Contact it would take along) with Cases cannot be deleted
 * (DELETE_FAILED, nothing deleted), and undeleting the Account brings back the children its
 * delete took, not those deleted on their own before.
 */
let local: LocalOrg;
let conn: Connection;
let instanceUrl: string;
let accessToken: string;

beforeAll(async () => {
  local = await startLocalOrg();
  ({ accessToken, instanceUrl } = local.issueAccessToken('pryzm-demo'));
  conn = new Connection({ instanceUrl, accessToken, version: '63.0' });
});

afterAll(async () => {
  await local.close();
});

const create = async (object: string, values: Record<string, unknown>) =>
  ((await conn.sobject(object).create(values)) as { id: string }).id;

const deleteRecord = (object: string, id: string) =>
  fetch(`${instanceUrl}/services/data/v63.0/sobjects/${object}/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${accessToken}` },
  });

/** The partner API's `undelete` call (REST has none). */
async function undelete(id: string): Promise<string> {
  const response = await fetch(`${instanceUrl}/services/Soap/u/63.0`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=UTF-8', soapaction: '""' },
    body:
      '<?xml version="1.0" encoding="UTF-8"?>' +
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">' +
      `<soapenv:Header><urn:SessionHeader><urn:sessionId>${accessToken}</urn:sessionId></urn:SessionHeader></soapenv:Header>` +
      `<soapenv:Body><urn:undelete><urn:ids>${id}</urn:ids></urn:undelete></soapenv:Body></soapenv:Envelope>`,
  });
  expect(response.status).toBe(200);
  return response.text();
}

/** Which of the ids are in the recycle bin (queryAll), by id. */
async function deletedFlags(object: string, ids: string[]): Promise<Record<string, boolean>> {
  const result = await conn.query<{ Id: string; IsDeleted: boolean }>(
    `SELECT Id, IsDeleted FROM ${object} WHERE Id IN ('${ids.join("','")}')`,
    { scanAll: true },
  );
  return Object.fromEntries(result.records.map((record) => [record.Id, record.IsDeleted]));
}

async function accountWithChildren(name: string) {
  const account = await create('Account', { Name: name });
  const contact = await create('Contact', { LastName: `${name} Contact`, AccountId: account });
  const opportunity = await create('Opportunity', {
    Name: `${name} Deal`,
    AccountId: account,
    StageName: 'Prospecting',
    CloseDate: '2027-03-31',
  });
  return { account, contact, opportunity };
}

describe('deleting and undeleting an Account', () => {
  it('should refuse to delete an Account with Cases, as Salesforce does, and delete nothing', async () => {
    const { account, contact, opportunity } = await accountWithChildren('Casebound');
    const caseId = await create('Case', { AccountId: account, Subject: 'Broken widget' });
    const [{ CaseNumber }] = (
      await conn.query<{ CaseNumber: string }>(`SELECT CaseNumber FROM Case WHERE Id = '${caseId}'`)
    ).records as [{ CaseNumber: string }];

    const response = await deleteRecord('Account', account);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual([
      {
        message: `Your attempt to delete Casebound could not be completed because it is associated with the following cases.: ${CaseNumber}\n`,
        errorCode: 'DELETE_FAILED',
        fields: [],
      },
    ]);
    expect(await deletedFlags('Account', [account])).toEqual({ [account]: false });
    expect(await deletedFlags('Contact', [contact])).toEqual({ [contact]: false });
    expect(await deletedFlags('Opportunity', [opportunity])).toEqual({ [opportunity]: false });

    // Without its Case, the Account goes, and its Contacts and Opportunities with it.
    expect((await deleteRecord('Case', caseId)).status).toBe(204);
    expect((await deleteRecord('Account', account)).status).toBe(204);
    expect(await deletedFlags('Contact', [contact])).toEqual({ [contact]: true });
    expect(await deletedFlags('Opportunity', [opportunity])).toEqual({ [opportunity]: true });
  });

  it('should refuse the delete when a Contact it would take along has Cases, and roll back', async () => {
    const { account, contact, opportunity } = await accountWithChildren('Contact Cases');
    await create('Case', { ContactId: contact, Subject: 'Call back' });

    const response = await deleteRecord('Account', account);
    expect(response.status).toBe(400);
    const [error] = (await response.json()) as { errorCode: string; message: string }[];
    expect(error).toMatchObject({ errorCode: 'DELETE_FAILED' });
    expect(error!.message).toMatch(/associated with the following cases\.: \d{8}\n$/);
    expect(await deletedFlags('Account', [account])).toEqual({ [account]: false });
    expect(await deletedFlags('Contact', [contact])).toEqual({ [contact]: false });
    expect(await deletedFlags('Opportunity', [opportunity])).toEqual({ [opportunity]: false });
  });

  it('should restore the children deleted with the Account when it is undeleted', async () => {
    const { account, contact, opportunity } = await accountWithChildren('Comeback');
    const deletedBefore = await create('Contact', { LastName: 'Left Earlier', AccountId: account });
    expect((await deleteRecord('Contact', deletedBefore)).status).toBe(204);
    expect((await deleteRecord('Account', account)).status).toBe(204);
    expect(await deletedFlags('Contact', [contact, deletedBefore])).toEqual({
      [contact]: true,
      [deletedBefore]: true,
    });

    const answer = await undelete(account);
    expect(answer).toContain(`<id>${account}</id><success>true</success>`);
    expect(await deletedFlags('Account', [account])).toEqual({ [account]: false });
    expect(await deletedFlags('Contact', [contact, deletedBefore])).toEqual({
      [contact]: false,
      // Deleted on its own: the Account's undelete does not bring it back.
      [deletedBefore]: true,
    });
    expect(await deletedFlags('Opportunity', [opportunity])).toEqual({ [opportunity]: false });
    // Restored children are plain records again: deleting and undeleting works as before.
    expect((await deleteRecord('Contact', contact)).status).toBe(204);
    expect(await undelete(contact)).toContain('<success>true</success>');
  });
});
