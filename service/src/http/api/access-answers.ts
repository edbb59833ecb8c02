import { z } from 'zod';
import { ROLES } from '../../access/roles.ts';
import { apiKeyAnswer } from '../contract/answers.ts';
import { timestamp } from '../contract/route-contract.ts';

/** Answers of the roles, members, tokens, audit and session routes (see ../views-access.ts). */
export const roleAnswer = z.enum(ROLES);

/** A key or personal token with its role, lineage and expiry. */
export const accessKeyAnswer = apiKeyAnswer.extend({
  role: roleAnswer,
  memberId: z.string().uuid().nullable(),
  parentKeyId: z.string().uuid().nullable(),
  expiresAt: timestamp.nullable(),
});

export const issuedAccessKeyAnswer = accessKeyAnswer.extend({ secret: z.string() });

export const memberAnswer = z.object({
  id: z.string().uuid(),
  email: z.string(),
  name: z.string(),
  role: roleAnswer,
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const auditEventAnswer = z.object({
  id: z.string().uuid(),
  at: timestamp,
  actor: z.object({
    kind: z.enum(['operator', 'api_key', 'console_session']),
    id: z.string().nullable(),
  }),
  action: z.string(),
  target: z.string().nullable(),
  ip: z.string().nullable(),
  outcome: z.enum(['succeeded', 'failed', 'denied']),
  status: z.number().int().nullable(),
  detail: z.record(z.unknown()).nullable(),
});

const via = z
  .enum(['session', 'token'])
  .describe('`session`: a console session from a sign-in link; `token`: `Authorization: Bearer`');

export const sessionAnswer = z.union([
  z.object({ kind: z.literal('operator'), via }).strict(),
  z
    .object({
      kind: z.literal('workspace'),
      via,
      workspaceId: z.string().uuid(),
      role: roleAnswer,
      memberId: z.string().uuid().nullable(),
      keyId: z
        .string()
        .uuid()
        .nullable()
        .describe(
          'The API key or personal token the caller sent (a member token when memberId is set); null for a console session',
        ),
      expiresAt: timestamp.nullable(),
    })
    .strict(),
]);

export const openedSessionAnswer = z.union([
  z.object({ kind: z.literal('operator'), csrfToken: z.string(), expiresAt: timestamp }).strict(),
  z
    .object({
      kind: z.literal('workspace'),
      workspaceId: z.string().uuid(),
      memberId: z.string().uuid(),
      role: roleAnswer,
      csrfToken: z.string(),
      expiresAt: timestamp,
    })
    .strict(),
]);

export const signInLinkAnswer = z.object({
  link: z.string(),
  url: z.string(),
  expiresAt: timestamp,
});

export const memberSignInLinkAnswer = signInLinkAnswer.extend({ memberId: z.string().uuid() });
