import pino from 'pino';
import type { Config } from '../config.ts';

export type Logger = pino.Logger;

/** Structured JSON logs on stdout; session cookies and CSRF tokens never reach them. */
export function createLogger(level: Config['logLevel']): Logger {
  return pino({
    level,
    redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
  });
}
