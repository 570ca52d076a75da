import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Express } from 'express';

/**
 * The service's one request listener, what `http.createServer` and supertest take: the hot
 * path (src/http/hot-routes.ts) looks at each request first and answers the plain ones for
 * hot routes; every other request goes to Express.
 */
export interface App {
  (req: IncomingMessage, res: ServerResponse): void;
  /** As Express's own `listen`: an http.Server answering with this app. */
  listen: Express['listen'];
}

export function frontDoor(
  express: Express,
  hot?: (req: IncomingMessage, res: ServerResponse) => boolean,
): App {
  const door = hot
    ? (req: IncomingMessage, res: ServerResponse) => {
        if (!hot(req, res)) express(req, res);
      }
    : (req: IncomingMessage, res: ServerResponse) => express(req, res);
  const listen = (...args: unknown[]) =>
    (createServer(door).listen as (...args: unknown[]) => unknown)(...args);
  return Object.assign(door, { listen: listen as Express['listen'] });
}
