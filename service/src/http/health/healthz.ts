import type { RequestHandler } from 'express';

/** Liveness: the process is up and serving. Never touches the database. */
export const getHealthz: RequestHandler = (_req, res) => {
  res.json({ status: 'ok' });
};
