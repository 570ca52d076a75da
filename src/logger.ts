import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths never written to a log: credentials, tokens, puzzle answers, card data. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'password',
  '*.password',
  'token',
  '*.token',
  'answer',
  '*.answer',
  'card',
  '*.card',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
