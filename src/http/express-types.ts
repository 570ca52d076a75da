import type { AuthContext } from './auth-context';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      requestId: string;
      auth?: AuthContext;
      /** The exact bytes of a JSON body, kept for idempotency fingerprints and webhooks. */
      rawBody?: Buffer;
    }
  }
}

export {};
