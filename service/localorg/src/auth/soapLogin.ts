import type { Request, Response } from 'express';
import { XMLParser } from 'fast-xml-parser';
import type { LocalOrgRuntime } from '../org/runtime.ts';
import { checkApiPassword, findUser, type LoginScope } from './credentials.ts';
import { recordLogin } from './loginHistory.ts';

/**
 * SOAP partner `login` (`POST /services/Soap/u/XX.X`): username plus password and security
 * token in, sessionId/serverUrl/userInfo out; a bad login is the `INVALID_LOGIN` fault.
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

function fault(res: Response, code: string, message: string): void {
  res
    .status(500)
    .type('text/xml;charset=UTF-8')
    .send(
      envelope(
        `<soapenv:Fault><faultcode xmlns:sf="urn:fault.partner.soap.sforce.com">sf:${code}</faultcode><faultstring>${code}: ${xmlEscape(message)}</faultstring><detail><sf:LoginFault xmlns:sf="urn:fault.partner.soap.sforce.com" xsi:type="sf:LoginFault"><sf:exceptionCode>${code}</sf:exceptionCode><sf:exceptionMessage>${xmlEscape(message)}</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault>`,
      ),
    );
}

export function soapLogin(runtime: LocalOrgRuntime, scopeOf: (req: Request) => LoginScope) {
  return (req: Request, res: Response): void => {
    const version = String(req.params['version'] ?? '');
    let login: Record<string, unknown> | undefined;
    try {
      const doc = parser.parse(typeof req.body === 'string' ? req.body : '') as Record<
        string,
        Record<string, Record<string, unknown>>
      >;
      login = doc['Envelope']?.['Body']?.['login'] as Record<string, unknown> | undefined;
    } catch {
      login = undefined;
    }
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
    res
      .status(200)
      .type('text/xml;charset=UTF-8')
      .send(
        envelope(
          `<loginResponse><result><metadataServerUrl>${org.instanceUrl}/services/Soap/m/${version}/${org.id}</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>${org.sandbox}</sandbox><serverUrl>${org.instanceUrl}/services/Soap/u/${version}/${org.id}</serverUrl><sessionId>${session.accessToken}</sessionId><userId>${user.id}</userId><userInfo>${userInfo}</userInfo></result></loginResponse>`,
        ),
      );
  };
}
