import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  answered: number;
}

/**
 * A real HTTP receiver for webhooks out: it keeps every request and answers each path with the
 * statuses queued for it (then 200), or with a redirect when given a Location.
 */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  private readonly scripts = new Map<string, number[]>();
  private readonly redirects = new Map<string, string>();
  private server: Server | null = null;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        const location = this.redirects.get(path);
        const answered = location ? 302 : (this.scripts.get(path)?.shift() ?? 200);
        this.received.push({
          path,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          answered,
        });
        res.writeHead(answered, location ? { Location: location } : {});
        res.end(answered >= 400 ? 'not now' : 'ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path: string, host = '127.0.0.1'): string {
    return `http://${host}:${this.port}${path}`;
  }

  /** The next requests to `path` are answered with these statuses, in order. */
  answer(path: string, statuses: number[]): void {
    this.scripts.set(path, [...statuses]);
  }

  redirect(path: string, location: string): void {
    this.redirects.set(path, location);
  }

  at(path: string): ReceivedHook[] {
    return this.received.filter((hook) => hook.path === path);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
