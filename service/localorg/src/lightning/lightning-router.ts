/**
 * The local org's Lightning pages on each org's My Domain: login, `frontdoor.jsp`, the record
 * page `/lightning/r/<Object>/<Id>/view` with the package's pryzmPushButton (and its quick
 * action), the Pryzm Setup app page `/lightning/n/Pryzm_Setup` with pryzmSetupChecklist, and
 * what those components call: `@salesforce/apex` methods (`POST /lightning/apex`), empApi
 * streams (`GET /lightning/emp/stream`) and record reloads. The components are the package's
 * own, built by scripts/build-lightning.mjs into dist/lightning-page and served from there.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response, type Router } from 'express';
import { checkUiPassword } from '../auth/credentials.ts';
import { recordLogin } from '../auth/login-history.ts';
import type { EventBusHost } from '../core/contracts.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Org } from '../org/org.ts';
import type { SessionRegistry } from '../org/sessions.ts';
import { findMethod, runApex } from './apex/apex-actions.ts';
import { namespacePrefix, type ApexContext } from './apex/apex-context.ts';
import { CustomLabels } from './apex/custom-labels.ts';
import { NamedCredentials, PRYZM_SERVICE } from './apex/named-credentials.ts';
import { empStream } from './emp-stream.ts';
import {
  lightningPage,
  loginPage,
  messagePage,
  pageContext,
  recordView,
  setupTabUrl,
} from './pages.ts';
import {
  clearSessionCookie,
  csrfMatches,
  safeReturnPath,
  setSessionCookie,
  uiSession,
} from './ui-session.ts';

export interface LightningOptions {
  sessions: SessionRegistry;
  host: EventBusHost;
  bus: EventBus;
  /** The org a request's host serves (its My Domain), undefined on the login hosts. */
  orgOf(req: Request): Org | undefined;
  /** The org by id, for the control endpoints under `/_localorg/orgs/:orgId`. */
  orgById(id: string): Org | undefined;
  activeFlows: string[];
  forceAppDir: string | undefined;
  /** The built bundle; dist/lightning-page of this package by default. */
  buildDir?: string;
}

/** dist/lightning-page, from src/lightning (tsx) and dist/lightning (built) alike. */
export function defaultBuildDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'lightning-page');
}

// The pages load only the local org's own scripts and styles; components inline style values.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

function sendHtml(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set('content-security-policy', CONTENT_SECURITY_POLICY)
    .type('html')
    .send(html);
}

export function lightningRouter(options: LightningOptions): Router {
  const buildDir = options.buildDir ?? defaultBuildDir();
  const namedCredentials = new NamedCredentials(options.forceAppDir);
  const labels = new CustomLabels(options.forceAppDir);
  const router = express.Router();

  const built = (res: Response): boolean => {
    if (existsSync(join(buildDir, 'lightning.js'))) return true;
    sendHtml(
      res,
      503,
      messagePage(
        'Lightning pages not built',
        'Run `npm run build:lightning` (npm run build and npm start do) and reload.',
      ),
    );
    return false;
  };

  /** The signed-in user's session on this My Domain, or a redirect to its login page. */
  const signedIn = (req: Request, res: Response) => {
    const org = options.orgOf(req);
    if (!org) {
      res.status(404).type('text/plain').send('Not Found');
      return undefined;
    }
    const session = uiSession(options.sessions, org, req);
    if (!session) {
      res.redirect(302, `/?startURL=${encodeURIComponent(req.originalUrl)}`);
      return undefined;
    }
    return { org, session };
  };

  const apexContext = (org: Org, userId: string): ApexContext => ({
    org,
    userId,
    host: options.host,
    publisher: options.bus,
    activeFlows: options.activeFlows,
    namedCredentials,
    labels,
  });

  router.use(
    '/lightning/assets',
    express.static(join(buildDir, 'assets'), { fallthrough: false, maxAge: '1h' }),
  );
  router.get('/lightning/lightning.js', (_req, res) => {
    if (built(res)) res.sendFile(join(buildDir, 'lightning.js'), { maxAge: 0 });
  });

  // My Domain's login page; a signed-in user goes on to the Setup page.
  router.get('/', (req, res, next) => {
    const org = options.orgOf(req);
    if (!org) return next();
    const startUrl = safeReturnPath(req.query['startURL'], setupTabUrl(org));
    if (uiSession(options.sessions, org, req)) return res.redirect(302, startUrl);
    sendHtml(res, 200, loginPage(org.config.name ?? org.config.myDomain, startUrl));
  });

  router.post('/', (req, res, next) => {
    const org = options.orgOf(req);
    if (!org) return next();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body['username'] === 'string' ? body['username'] : '';
    const startUrl = safeReturnPath(body['startURL'], setupTabUrl(org));
    const user = org.userByUsername(username);
    const password = typeof body['password'] === 'string' ? body['password'] : '';
    if (!user || !checkUiPassword(user, password)) {
      if (user)
        recordLogin(org, req, {
          userId: user.id,
          loginType: 'Application',
          status: 'Invalid Password',
        });
      const error =
        'Please check your username and password. If you still can\u2019t log in, contact your Salesforce administrator.';
      // The login page answers a wrong password with itself and a message, not an error status.
      return sendHtml(
        res,
        200,
        loginPage(org.config.name ?? org.config.myDomain, startUrl, error, username),
      );
    }
    recordLogin(org, req, { userId: user.id, loginType: 'Application', status: 'Success' });
    const session = options.sessions.issueAccess(org, user.id, '', 'web');
    setSessionCookie(res, req, session);
    res.redirect(302, startUrl);
  });

  router.get('/secur/frontdoor.jsp', (req, res, next) => {
    const org = options.orgOf(req);
    if (!org) return next();
    const sid = typeof req.query['sid'] === 'string' ? req.query['sid'] : '';
    const session = options.sessions.validate(sid);
    if (!session || session.org !== org) {
      // An invalid or expired session id lands on the login page, as Salesforce's does.
      return res.redirect(302, '/');
    }
    setSessionCookie(res, req, session);
    res.redirect(302, safeReturnPath(req.query['retURL'], setupTabUrl(org)));
  });

  router.get('/secur/logout.jsp', (req, res, next) => {
    const org = options.orgOf(req);
    if (!org) return next();
    clearSessionCookie(res);
    res.redirect(302, '/');
  });

  router.get('/lightning/r/:objectName/:recordId/view', (req, res) => {
    const signed = signedIn(req, res);
    if (!signed || !built(res)) return;
    const { org, session } = signed;
    const record = recordView(
      org,
      String(req.params['objectName']),
      String(req.params['recordId']),
    );
    if (!record) {
      return sendHtml(
        res,
        404,
        messagePage(
          'Record not found',
          'The record you’re looking for doesn’t exist or was deleted.',
        ),
      );
    }
    const context = pageContext(org, session, { page: 'record', record });
    sendHtml(res, 200, lightningPage(`${record.name} | ${record.objectLabel}`, context));
  });

  router.get('/lightning/n/:tab', (req, res) => {
    const signed = signedIn(req, res);
    if (!signed || !built(res)) return;
    const { org, session } = signed;
    const tab = String(req.params['tab']);
    if (tab !== `${namespacePrefix(org)}Pryzm_Setup` && tab !== 'Pryzm_Setup') {
      return sendHtml(res, 404, messagePage('Page not found', `No tab named ${tab}.`));
    }
    const context = pageContext(org, session, {
      page: 'app',
      tab: { name: tab, label: 'Pryzm Setup' },
    });
    sendHtml(res, 200, lightningPage('Pryzm Setup', context));
  });

  router.get('/lightning/page-data/records/:recordId', (req, res) => {
    const org = options.orgOf(req);
    const session = org && uiSession(options.sessions, org, req);
    if (!org || !session)
      return void res.status(401).json({ message: 'Session expired or invalid' });
    const found = org.findById(String(req.params['recordId']));
    const record = found && recordView(org, found.objectName, String(req.params['recordId']));
    if (!record) return void res.status(404).json({ message: 'Record not found' });
    res.json(record);
  });

  router.post('/lightning/apex', async (req, res) => {
    const org = options.orgOf(req);
    const session = org && uiSession(options.sessions, org, req);
    if (!org || !session)
      return void res.status(401).json({ message: 'Session expired or invalid' });
    if (!csrfMatches(session, req.get('x-csrf-token'))) {
      return void res.status(403).json({ message: 'Missing or invalid CSRF token' });
    }
    const { classname, method, params } = (req.body ?? {}) as Record<string, unknown>;
    const apex =
      typeof classname === 'string' && typeof method === 'string'
        ? findMethod(classname, method)
        : undefined;
    if (!apex) {
      return void res.status(404).json({
        message: `No @AuraEnabled method ${String(classname)}.${String(method)}`,
        exceptionType: 'System.NoSuchMethodException',
        isUserDefinedException: false,
        stackTrace: '',
      });
    }
    const args = params && typeof params === 'object' ? (params as Record<string, unknown>) : {};
    const outcome = await runApex(apexContext(org, session.userId), apex, args);
    if (outcome.ok) res.json({ returnValue: outcome.returnValue });
    else res.status(outcome.status).json(outcome.body);
  });

  router.get('/lightning/emp/stream', (req, res) => {
    const org = options.orgOf(req);
    const session = org && uiSession(options.sessions, org, req);
    if (!org || !session)
      return void res.status(401).json({ message: 'Session expired or invalid' });
    empStream(options.bus, org.id, req, res);
  });

  // Setup > Named Credentials for the package's Pryzm_Service: its URL and API key.
  router.put('/_localorg/orgs/:orgId/named-credentials/:name', express.json(), (req, res) => {
    const org = options.orgById(String(req.params['orgId']));
    if (!org)
      return void res.status(404).json([{ message: 'No such org', errorCode: 'NOT_FOUND' }]);
    if (
      req.params['name'] !== PRYZM_SERVICE &&
      req.params['name'] !== `${namespacePrefix(org)}${PRYZM_SERVICE}`
    ) {
      return void res
        .status(404)
        .json([{ message: `No Named Credential ${req.params['name']}`, errorCode: 'NOT_FOUND' }]);
    }
    const { url, apiKey } = (req.body ?? {}) as Record<string, unknown>;
    if (
      typeof url !== 'string' ||
      !/^https?:\/\//.test(url) ||
      (apiKey !== undefined && typeof apiKey !== 'string')
    ) {
      return void res.status(400).json([
        {
          message: 'url (http or https) is required; apiKey is text',
          errorCode: 'INVALID_FIELD',
          fields: [],
        },
      ]);
    }
    namedCredentials.set(org.id, { url, ...(apiKey ? { apiKey } : {}) });
    res.status(204).end();
  });

  return router;
}
