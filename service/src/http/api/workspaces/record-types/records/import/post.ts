import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../../services.ts';
import { ApiError } from '../../../../../errors/api-error.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../outcome.ts';
import { unsafeTextAt } from '../../../../../text-safety.ts';
import { param } from '../../../../params.ts';

const MAX_CSV_BYTES = 10 * 1024 * 1024;

export const postRecordsImportContract = defineContract({
  summary: 'Creates (no id) or updates (id) records from CSV; all rows or none',
  consumes: 'text/csv',
  body: z
    .string()
    .describe('A header row of attribute keys (and optionally id), then one row per record'),
  responses: {
    200: z.object({
      created: z.number().int(),
      updated: z.number().int(),
      rows: z.array(
        z.object({
          row: z.number().int(),
          id: z.string().uuid(),
          action: z.enum(['created', 'updated']),
        }),
      ),
    }),
  },
});

/** The body as UTF-8 text, at most MAX_CSV_BYTES, read only for an authenticated caller. */
async function csvBody(req: Request): Promise<string> {
  const type = req.headers['content-type'] ?? '';
  if (!/^text\/csv\b/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the CSV with Content-Type: text/csv');
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_CSV_BYTES) {
    throw new ApiError(413, 'payload_too_large', 'A CSV import is at most 10 MB');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_CSV_BYTES) {
      throw new ApiError(413, 'payload_too_large', 'A CSV import is at most 10 MB');
    }
    chunks.push(chunk);
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
  const unsafe = unsafeTextAt(text);
  if (unsafe !== undefined) {
    throw new ApiError(400, 'invalid_text', 'The CSV holds a NUL byte or an unpaired surrogate');
  }
  return text;
}

/**
 * POST /api/workspaces/:workspaceId/record-types/:recordTypeKey/records/import (text/csv):
 * every row is checked first; one bad row answers 422 `csv_invalid_rows` with each problem and
 * row number, and nothing is written.
 */
export function postRecordsImport(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const text = await csvBody(req);
    const result = unwrap(
      await services.recordCsv.import(param(req, 'workspaceId'), param(req, 'recordTypeKey'), text),
    );
    res.json(result);
  });
}
