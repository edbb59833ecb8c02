import type { Request } from 'express';

/** A route parameter Express has matched (always present on the routes that name it). */
export function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}
