import { deleteSessionContract } from './session/delete.ts';
import { getSessionContract } from './session/get.ts';
import { postSignInLinkContract } from './session/links/post.ts';
import { postSessionContract } from './session/post.ts';
import { getAuditContract } from './workspaces/audit/get.ts';
import { deleteMemberContract } from './workspaces/members/delete.ts';
import { getMembersContract } from './workspaces/members/get.ts';
import { patchMemberContract } from './workspaces/members/patch.ts';
import { postMemberContract } from './workspaces/members/post.ts';
import { postMemberSignInLinkContract } from './workspaces/members/sign-in-links/post.ts';
import { deleteMemberTokenContract } from './workspaces/members/tokens/delete.ts';
import { getMemberTokensContract } from './workspaces/members/tokens/get.ts';
import { postMemberTokenContract } from './workspaces/members/tokens/post.ts';
import { putSensitiveAttributesContract } from './workspaces/record-types/sensitive-attributes/put.ts';

/** Contracts of the roles, members, tokens, audit, field-hiding and session routes. */
export const ACCESS_CONTRACTS = {
  'put /api/workspaces/:workspaceId/record-types/:recordTypeKey/sensitive-attributes':
    putSensitiveAttributesContract,
  'get /api/workspaces/:workspaceId/members': getMembersContract,
  'post /api/workspaces/:workspaceId/members': postMemberContract,
  'patch /api/workspaces/:workspaceId/members/:memberId': patchMemberContract,
  'delete /api/workspaces/:workspaceId/members/:memberId': deleteMemberContract,
  'get /api/workspaces/:workspaceId/members/:memberId/tokens': getMemberTokensContract,
  'post /api/workspaces/:workspaceId/members/:memberId/tokens': postMemberTokenContract,
  'delete /api/workspaces/:workspaceId/members/:memberId/tokens/:tokenId':
    deleteMemberTokenContract,
  'post /api/workspaces/:workspaceId/members/:memberId/sign-in-links': postMemberSignInLinkContract,
  'get /api/workspaces/:workspaceId/audit': getAuditContract,
  'post /api/session': postSessionContract,
  'get /api/session': getSessionContract,
  'delete /api/session': deleteSessionContract,
  'post /api/session/links': postSignInLinkContract,
} as const;
