import type { Request, Response } from 'express';
import { XMLParser } from 'fast-xml-parser';
import type { LocalOrgRuntime } from '../org/runtime.ts';
import { refusalBeforeApiCall } from '../rest/api-middleware.ts';
import { sendExact } from '../rest/respond.ts';
import { checkApiPassword, findUser, type LoginScope } from './credentials.ts';
import { recordLogin } from './login-history.ts';
import { normalizeId } from '../core/ids.ts';
import type { Org } from '../org/org.ts';
import { DmlError } from '../org/transaction.ts';

/**
 * SOAP partner API (`POST /services/Soap/u/XX.X`): `login` (username plus password and
 * security token in, sessionId/serverUrl/userInfo out; a bad login is the `INVALID_LOGIN`
 * fault), `logout`, and `undelete` (records out of the recycle bin, the one record call the
 * REST API lacks). Any other call is answered with an `INVALID_OPERATION` fault.
 */

const parser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  ignoreAttributes: true,
});

function xmlEscape(s: string): string {
  return s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );
}

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

function fault(
  res: Response,
  code: string,
  message: string,
  faultType = 'LoginFault',
  status = 500,
): void {
  sendExact(
    res,
    status,
    'text/xml;charset=UTF-8',
    envelope(
      `<soapenv:Fault><faultcode xmlns:sf="urn:fault.partner.soap.sforce.com">sf:${code}</faultcode><faultstring>${code}: ${xmlEscape(message)}</faultstring><detail><sf:${faultType} xmlns:sf="urn:fault.partner.soap.sforce.com" xsi:type="sf:${faultType}"><sf:exceptionCode>${code}</sf:exceptionCode><sf:exceptionMessage>${xmlEscape(message)}</sf:exceptionMessage></sf:${faultType}></detail></soapenv:Fault>`,
    ),
  );
}

type SoapDoc = Record<string, Record<string, Record<string, unknown>>>;

function parseEnvelope(req: Request): SoapDoc['Envelope'] | undefined {
  try {
    const doc = parser.parse(typeof req.body === 'string' ? req.body : '') as SoapDoc;
    return doc['Envelope'];
  } catch {
    return undefined;
  }
}

/** The partner SOAP endpoint: dispatches on the call named in the body. */
export function soapPartner(runtime: LocalOrgRuntime, scopeOf: (req: Request) => LoginScope) {
  const login = soapLogin(runtime, scopeOf);
  return async (req: Request, res: Response): Promise<void> => {
    const envelopeDoc = parseEnvelope(req);
    const body = envelopeDoc?.['Body'] ?? {};
    if (!envelopeDoc || 'login' in body) {
      login(req, res, body['login'] as Record<string, unknown> | undefined);
      return;
    }
    const header = envelopeDoc['Header'] ?? {};
    const sessionHeader = header['SessionHeader'] as Record<string, unknown> | undefined;
    const token = String(sessionHeader?.['sessionId'] ?? '');
    const session = token ? runtime.sessions.validate(token) : undefined;
    const scope = scopeOf(req);
    if (!session || (scope.kind === 'instance' && scope.org !== session.org)) {
      fault(
        res,
        'INVALID_SESSION_ID',
        'Invalid Session ID found in SessionHeader: Illegal Session',
        'UnexpectedErrorFault',
      );
      return;
    }
    if ('logout' in body) {
      // jsforce's logout() of a SOAP session; the session ends at once.
      runtime.sessions.revoke(token);
      sendExact(res, 200, 'text/xml;charset=UTF-8', envelope('<logoutResponse/>'));
      return;
    }
    const org = session.org;
    const refusal = await refusalBeforeApiCall(org);
    if (refusal?.kind === 'failure') {
      const unavailable = refusal.status === 503;
      fault(
        res,
        unavailable ? 'SERVER_UNAVAILABLE' : 'UNKNOWN_EXCEPTION',
        unavailable ? 'Server temporarily unavailable' : 'An unexpected error occurred.',
        'UnexpectedErrorFault',
        refusal.status,
      );
      return;
    }
    if (refusal?.kind === 'limit_exceeded') {
      fault(res, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', 'UnexpectedErrorFault');
      return;
    }
    org.limits.count('DailyApiRequests');
    const version = String(req.params['version'] ?? '');
    if ('undelete' in body) {
      const raw = (body['undelete'] as Record<string, unknown> | undefined)?.['ids'];
      const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
      const results = undeleteRecords(org, session.userId, version, ids);
      sendExact(
        res,
        200,
        'text/xml;charset=UTF-8',
        envelope(`<undeleteResponse>${results}</undeleteResponse>`),
      );
      return;
    }
    const call = Object.keys(body)[0] ?? '';
    fault(
      res,
      'INVALID_OPERATION',
      `The local org does not emulate the SOAP call ${call}`,
      'UnexpectedErrorFault',
    );
  };
}

/** Each id undeleted on its own (the partner API's default, no AllOrNoneHeader). */
function undeleteRecords(org: Org, userId: string, version: string, ids: string[]): string {
  return org.write(userId, `com/salesforce/api/soap/${version}`, (tx, dml) =>
    ids
      .map((id) => {
        const savepoint = tx.savepoint();
        try {
          const restored = dml.undelete(tx, id);
          return `<result><id>${restored.Id}</id><success>true</success></result>`;
        } catch (e) {
          tx.rollbackTo(savepoint);
          if (!(e instanceof DmlError)) throw e;
          const errors = e.errors
            .map(
              (x) =>
                `<errors>${(x.fields ?? []).map((f) => `<fields>${xmlEscape(f)}</fields>`).join('')}<message>${xmlEscape(x.message)}</message><statusCode>${x.errorCode}</statusCode></errors>`,
            )
            .join('');
          const shown = normalizeId(id);
          const idXml = shown ? `<id>${shown}</id>` : '<id xsi:nil="true"/>';
          return `<result>${errors}${idXml}<success>false</success></result>`;
        }
      })
      .join(''),
  );
}

function soapLogin(runtime: LocalOrgRuntime, scopeOf: (req: Request) => LoginScope) {
  return (req: Request, res: Response, login: Record<string, unknown> | undefined): void => {
    const version = String(req.params['version'] ?? '');
    if (!login) {
      fault(
        res,
        'INVALID_LOGIN',
        'Invalid username, password, security token; or user locked out.',
      );
      return;
    }
    const found = findUser(runtime, scopeOf(req), String(login['username'] ?? ''));
    if (!found || !checkApiPassword(found.user, String(login['password'] ?? ''))) {
      if (found) {
        recordLogin(found.org, req, {
          userId: found.user.id,
          loginType: 'Other Apex API',
          status: 'Invalid Password',
          apiType: 'SOAP Partner',
          apiVersion: version,
        });
      }
      fault(
        res,
        'INVALID_LOGIN',
        'Invalid username, password, security token; or user locked out.',
      );
      return;
    }
    const { org, user } = found;
    const session = runtime.sessions.issueAccess(org, user.id, 'SOAP', 'api');
    recordLogin(org, req, {
      userId: user.id,
      loginType: 'Other Apex API',
      status: 'Success',
      apiType: 'SOAP Partner',
      apiVersion: version,
    });
    const record: Record<string, unknown> = org.findById(user.id)?.record ?? {};
    const orgRecord: Record<string, unknown> = org.findById(org.id)?.record ?? {};
    const userInfo = [
      ['accessibilityMode', 'false'],
      ['chatterExternal', 'false'],
      ['currencySymbol', '$'],
      ['orgAttachmentFileSizeLimit', '5242880'],
      ['orgDefaultCurrencyIsoCode', 'USD'],
      ['orgDefaultCurrencyLocale', 'en_US'],
      ['orgDisallowHtmlAttachments', 'false'],
      ['orgHasPersonAccounts', 'false'],
      ['organizationId', org.id],
      ['organizationMultiCurrency', 'false'],
      ['organizationName', String(orgRecord['Name'] ?? '')],
      ['profileId', String(record['ProfileId'] ?? '')],
      ['roleId', ''],
      ['sessionSecondsValid', String(org.sessionSeconds)],
      ['userDefaultCurrencyIsoCode', ''],
      ['userEmail', user.config.email],
      ['userFullName', `${user.config.firstName} ${user.config.lastName}`],
      ['userId', user.id],
      ['userLanguage', 'en_US'],
      ['userLocale', 'en_US'],
      ['userName', user.config.username],
      ['userTimeZone', 'America/Los_Angeles'],
      ['userType', 'Standard'],
      ['userUiSkin', 'Theme3'],
    ]
      .map(([k, v]) => (v === '' ? `<${k} xsi:nil="true"/>` : `<${k}>${xmlEscape(v ?? '')}</${k}>`))
      .join('');
    sendExact(
      res,
      200,
      'text/xml;charset=UTF-8',
      envelope(
        `<loginResponse><result><metadataServerUrl>${org.instanceUrl}/services/Soap/m/${version}/${org.id}</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>${org.sandbox}</sandbox><serverUrl>${org.instanceUrl}/services/Soap/u/${version}/${org.id}</serverUrl><sessionId>${session.accessToken}</sessionId><userId>${user.id}</userId><userInfo>${userInfo}</userInfo></result></loginResponse>`,
      ),
    );
  };
}
