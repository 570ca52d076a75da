import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../src/db/db';
import { selectRows } from '../../src/db/sql';
import type { WireRequest } from './bad-requests';

export interface WireResponse {
  /** 0 when the connection failed or was cut before a complete answer. */
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json?: unknown;
  networkError?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/**
 * Sends exactly what `wire` says (supertest would add a Content-Type of its own), with a
 * Content-Length for any body, and reads the whole answer.
 */
export function sendWire(server: http.Server, wire: WireRequest): Promise<WireResponse> {
  const { port } = server.address() as AddressInfo;
  const headers: Record<string, string> = { ...wire.headers };
  if (wire.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(wire.body));
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: wire.method, path: wire.url, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) =>
          resolve({ status: 0, headers: res.headers, text: '', networkError: error.message }),
        );
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          if (/json/.test(res.headers['content-type'] ?? ''))
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
          if (!res.complete)
            resolve({ status: 0, headers: res.headers, text, networkError: 'response cut short' });
          else resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error('no answer in 15 s')));
    req.on('error', (error) =>
      resolve({ status: 0, headers: {}, text: '', networkError: error.message }),
    );
    req.end(wire.body);
  });
}

export function closeWireAgent(): void {
  agent.destroy();
}

/** The count statement of each database's tables: they do not change while a file runs. */
const countStatements = new WeakMap<Db, Promise<string>>();

async function countStatementOf(db: Db): Promise<string> {
  const tables = await selectRows<{ name: string }>(
    db,
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return tables
    .map((t) => `SELECT '${t.name}' AS name, COUNT(*) AS n FROM \`${t.name}\``)
    .join(' UNION ALL ');
}

/** Exact row counts of every table of the connected database, in one statement. */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  let statement = countStatements.get(db);
  if (!statement) countStatements.set(db, (statement = countStatementOf(db)));
  const sql = await statement;
  const rows = await selectRows<{ name: string; n: number | string }>(db, sql);
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}

export function countChanges(
  before: Record<string, number>,
  after: Record<string, number>,
): string[] {
  return Object.keys({ ...before, ...after })
    .filter((table) => before[table] !== after[table])
    .map((table) => `${table}: ${before[table]} -> ${after[table]}`);
}

/** ASCII only: a U+00A0 or a lone surrogate in a report looks like nothing at all. */
function visible(text: string): string {
  return text.replace(
    /[^\x20-\x7e]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** One line per request, for failure reports: what went, what came back. */
export function describeExchange(wire: WireRequest, res: WireResponse): string {
  const body =
    wire.body === undefined
      ? '(no body)'
      : typeof wire.body === 'string'
        ? JSON.stringify(
            wire.body.length > 300
              ? `${wire.body.slice(0, 300)}…(${wire.body.length} chars)`
              : wire.body,
          )
        : `<${wire.body.length} bytes: ${wire.body.subarray(0, 60).toString('hex')}>`;
  const answer = res.networkError
    ? `network error: ${res.networkError}`
    : `${res.status} ${res.text.length > 400 ? `${res.text.slice(0, 400)}…` : res.text}`;
  const url = wire.url.length > 300 ? `${wire.url.slice(0, 300)}…` : wire.url;
  return [
    `${wire.method} ${visible(url)}`,
    `  headers: ${visible(JSON.stringify(wire.headers))}`,
    `  body: ${visible(body)}`,
    `  -> ${visible(answer)}`,
  ].join('\n');
}
