import type { RequestHandler } from 'express';
import type { RouteRule } from '../../../../auth/authorize.ts';
import type { AppDependencies } from '../../../../dependencies.ts';
import { getAccessActions, getAccessActionsContract } from './actions/get.ts';
import { postAccessAction, postAccessActionContract } from './actions/post.ts';
import { getAccessFindingsExport, getAccessFindingsExportContract } from './findings/export/get.ts';
import { getAccessFindings, getAccessFindingsContract } from './findings/get.ts';
import { getAccessListExport, getAccessListExportContract } from './lists/export/get.ts';
import { getAccessList, getAccessListContract } from './lists/get-one.ts';
import {
  getAccessLoginsExport,
  getAccessLoginsExportContract,
} from './login-history/export/get.ts';
import { getAccessLogins, getAccessLoginsContract } from './login-history/get.ts';
import { getAccessPull, getAccessPullContract } from './pulls/get-one.ts';
import { getAccessPulls, getAccessPullsContract } from './pulls/get.ts';
import { postAccessPull, postAccessPullContract } from './pulls/post.ts';
import { getAccessSettings, getAccessSettingsContract } from './settings/get.ts';
import { patchAccessSettings, patchAccessSettingsContract } from './settings/patch.ts';

type Method = 'get' | 'post' | 'patch';

const access = '/api/workspaces/:workspaceId/connections/:connectionId/access';

/**
 * The access governance routes, for API_ROUTES and CONTRACTS. Every one needs
 * `integrations:manage` (workspace Admins): who holds which licence and permission, and who
 * logged in from where, is as sensitive as the actions that change it.
 */
const ROUTES = [
  ['post', `${access}/pulls`, postAccessPull, postAccessPullContract],
  ['get', `${access}/pulls`, getAccessPulls, getAccessPullsContract],
  ['get', `${access}/pulls/:pullId`, getAccessPull, getAccessPullContract],
  ['get', `${access}/lists/:accessList`, getAccessList, getAccessListContract],
  ['get', `${access}/lists/:accessList/export`, getAccessListExport, getAccessListExportContract],
  ['get', `${access}/login-history`, getAccessLogins, getAccessLoginsContract],
  ['get', `${access}/login-history/export`, getAccessLoginsExport, getAccessLoginsExportContract],
  ['get', `${access}/findings`, getAccessFindings, getAccessFindingsContract],
  ['get', `${access}/findings/export`, getAccessFindingsExport, getAccessFindingsExportContract],
  ['get', `${access}/settings`, getAccessSettings, getAccessSettingsContract],
  ['patch', `${access}/settings`, patchAccessSettings, patchAccessSettingsContract],
  ['post', `${access}/actions`, postAccessAction, postAccessActionContract],
  ['get', `${access}/actions`, getAccessActions, getAccessActionsContract],
] as const;

export const ACCESS_ROUTES: readonly (readonly [
  Method,
  string,
  RouteRule,
  (dependencies: AppDependencies) => RequestHandler,
])[] = ROUTES.map(
  ([method, path, handler]) =>
    [method, path, 'integrations:manage', (d: AppDependencies) => handler(d.services)] as const,
);

type Contracts = {
  [R in (typeof ROUTES)[number] as `${R[0]} ${R[1]}`]: R[3];
};

export const CONNECTION_ACCESS_CONTRACTS = Object.fromEntries(
  ROUTES.map(([method, path, , contract]) => [`${method} ${path}`, contract]),
) as Contracts;
