import mysql from 'mysql2/promise';
import { parseNodes, type DatabaseNode } from './nodes';

export interface DatabaseTarget {
  /** Connection options without the database, for CREATE/DROP DATABASE (the first node's). */
  server: mysql.ConnectionOptions;
  database: string;
  /** Every host of the URL: one server, or the nodes of a Galera cluster. */
  nodes: DatabaseNode[];
}

/**
 * `mysql://user[:pass]@host[:port][,host[:port]...]/database[?socketPath=...]`: several hosts
 * are the nodes of one Galera cluster (src/db/nodes.ts).
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const hosts = /^mysql:\/\/(?:[^@/]*@)?([^/?#]*)/.exec(url)?.[1] ?? '';
  const nodes = parseNodes(hosts);
  const parsed = new URL(
    url.replace(
      hosts,
      `${nodes[0]!.host.includes(':') ? `[${nodes[0]!.host}]` : nodes[0]!.host}:${nodes[0]!.port}`,
    ),
  );
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`bad database name in DATABASE_URL`);
  // `?socketPath=/run/mysqld/mysqld.sock`: MySQL on this host, over its Unix socket (host and
  // port are then ignored). A round trip costs the client about a third less CPU than over TCP.
  const socketPath = parsed.searchParams.get('socketPath') ?? undefined;
  return {
    database,
    nodes,
    server: {
      host: nodes[0]!.host,
      port: nodes[0]!.port,
      user: decodeURIComponent(parsed.username || 'root'),
      password: decodeURIComponent(parsed.password || ''),
      ...(socketPath ? { socketPath } : {}),
    },
  };
}

async function connectToFirstNode(
  target: DatabaseTarget,
): Promise<{ connection: mysql.Connection; node: DatabaseNode }> {
  let lastError: unknown;
  for (const node of target.nodes) {
    try {
      const connection = await mysql.createConnection({
        ...target.server,
        ...node,
        connectTimeout: 3000,
      });
      return { connection, node };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** A connection to the first node of the URL that answers, in the order written. */
export async function connectToServer(target: DatabaseTarget): Promise<mysql.Connection> {
  return (await connectToFirstNode(target)).connection;
}

/** The first node of the URL that answers, in the order written. */
export async function firstAnsweringNode(target: DatabaseTarget): Promise<DatabaseNode> {
  const { connection, node } = await connectToFirstNode(target);
  await connection.end();
  return node;
}

/** Creates the database named in the URL if it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = parseDatabaseUrl(url);
  const connection = await connectToServer(target);
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const target = parseDatabaseUrl(url);
  const connection = await connectToServer(target);
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${target.database}\``);
  } finally {
    await connection.end();
  }
}
