import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { signInLinkAnswer } from '../../access-answers.ts';
import { parseInput } from '../../../validation.ts';

/** The route takes no options: a body, if any, must be empty. */
const body = z.object({}).strict();

export const postSignInLinkContract = defineContract({
  summary: 'A new one-time console sign-in link (operator)',
  body,
  responses: { 201: signInLinkAnswer },
});

/** Where the console reads a sign-in link: the secret is in the fragment, never sent to a server. */
export function signInUrl(baseUrl: string, secret: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/console/#sign-in=${secret}`;
}

/** POST /api/session/links (operator): a new one-time console sign-in link. */
export function postSignInLink(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    parseInput(body, req.body);
    const link = await services.consoleSessions.createSignInLink();
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({
      link: link.secret,
      url: signInUrl(`${req.protocol}://${req.get('host') ?? 'localhost'}`, link.secret),
      expiresAt: link.expiresAt,
    });
  });
}
