import mysql from 'mysql2/promise';
import { Sequelize } from 'sequelize';
import type { Logger } from '../logger';
import {
  connectThroughNodes,
  firstNodeIndex,
  NodeRotation,
  parseNodes,
  type DatabaseNode,
} from './nodes';
import { retryLockConflicts } from './retry';

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

/** A connection to the first node of the URL that answers, in the order written. */
export async function connectToServer(target: DatabaseTarget): Promise<mysql.Connection> {
  let lastError: unknown;
  for (const node of target.nodes) {
    try {
      return await mysql.createConnection({ ...target.server, ...node, connectTimeout: 3000 });
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
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

export interface SequelizeOptions {
  poolMax?: number;
  logger?: Logger;
  /** Of several nodes, the one (0-based) connections go to first: see firstNodeIndex. */
  firstNode?: number;
  /** Of several nodes, `connection`: each new connection on the next (DATABASE_NODE_SPREAD). */
  spread?: 'process' | 'connection';
}

export function createSequelize(url: string, options: SequelizeOptions = {}): Sequelize {
  const target = parseDatabaseUrl(url);
  const sequelize = new Sequelize(
    target.database,
    String(target.server.user),
    target.server.password ?? '',
    {
      host: target.server.host,
      port: target.server.port,
      dialect: 'mysql',
      timezone: '+00:00',
      logging: options.logger ? (sql) => options.logger?.trace({ sql }, 'sql') : false,
      benchmark: false,
      pool: { max: options.poolMax ?? 20, min: 0, idle: 10_000, acquire: 10_000 },
      dialectOptions: {
        ...(target.server.socketPath ? { socketPath: target.server.socketPath } : {}),
        // Of several nodes, one that does not answer is given up on soon for the next.
        ...(target.nodes.length > 1 ? { connectTimeout: 3000 } : {}),
        charset: 'utf8mb4',
        // Lets a hot path send dependent-free statements in one round trip (src/db/sql.ts).
        // Safe here because every statement binds its values with `?`; none splices input in.
        multipleStatements: true,
        dateStrings: false,
        supportBigNumbers: true,
        bigNumberStrings: false,
      },
      define: { underscored: true, timestamps: true },
    },
  );
  if (target.nodes.length > 1) {
    const first = firstNodeIndex(target.nodes.length, options.firstNode);
    connectThroughNodes(
      sequelize,
      new NodeRotation(target.nodes, first, options.spread === 'connection'),
    );
  }
  retryLockConflicts(sequelize);
  return sequelize;
}
