import mysql from 'mysql2';
import { parseDatabaseUrl, type DatabaseTarget } from './database';
import { firstNodeIndex, NodeRotation, type DatabaseNode } from './nodes';
import { retryOnLockConflict } from './retry';

export type Params = ReadonlyArray<unknown>;

/** One SQL statement and its `?` values. */
export type Statement = readonly [sql: string, params: Params];

export interface DbOptions {
  /** Connections per node and kind (single statements; batched transactions). */
  poolMax?: number;
  /** Of several nodes, the one (0-based) connections go to first: see firstNodeIndex. */
  firstNode?: number;
  /** Of several nodes, `connection`: each new connection on the next (DATABASE_NODE_SPREAD). */
  spread?: 'process' | 'connection';
}

export interface QueryOptions {
  /**
   * Sent as a prepared statement: the server parses it once per connection, and each later run
   * sends only the values and answers in the binary protocol. For the hot reads of a few
   * shapes (browsing, search): on a page of 20 listings, parsing and resolving the statement
   * cost the server as much as running it. Each connection keeps its PREPARED_PER_CONNECTION
   * most recently used statements (older ones are closed on the server), so the server's
   * statement count stays bounded. A statement lives on its connection, so on a Galera
   * cluster it runs on that connection's node and waits for it to catch up like any read
   * (`wsrep_sync_wait`). Values are scalars: write `IN (?, ?)`, not `IN (?)`.
   */
  prepared?: boolean;
}

export interface TransactionOptions {
  /**
   * Statements of one `batch` call travel in one round trip (START TRANSACTION with the first,
   * COMMIT with the `atCommit` writes): where a round trip costs more CPU than the statement,
   * as on a busy API process, a checkout then takes two. Such transactions run on connections
   * that allow multiple statements; every other statement runs on ones that do not. On a
   * Galera cluster they run statement by statement all the same (see `Db.batching`).
   */
  batched?: boolean;
}

type Connection = mysql.PoolConnection;

/**
 * Prepared statements a connection keeps (mysql2 closes the least recently used one past
 * this). Browsing uses a handful of shapes. A process of 32 connections then holds at most
 * 1,024, so several stay under the server's max_prepared_stmt_count (16,382 by default); past
 * it, sendPrepared falls back to the text query.
 */
const PREPARED_PER_CONNECTION = 32;

type Kind = 'single' | 'batched';

/** DATETIME(3) columns keep milliseconds: dates go in as UTC `YYYY-MM-DD HH:MM:SS.mmm`. */
function bind(params: Params): unknown[] {
  return params.map((value) =>
    value instanceof Date ? value.toISOString().slice(0, 23).replace('T', ' ') : value,
  );
}

/**
 * Values of a prepared statement as the text query would bind them: dates as the UTC text
 * above, bigints as BIGINT (mysql2 would send them as text, which the server may clamp to a
 * signed 64-bit value). Numbers go as mysql2 sends them, DOUBLE: exact for safe integers, and
 * typing each one costs the client more than the statement (browse: 0.14 against 0.09 ms).
 */
function bindTyped(params: Params): mysql.ExecuteValues[] {
  return bind(params).map((value) => {
    if (Array.isArray(value))
      throw new TypeError('a prepared statement takes no list for IN (?): write one ? per value');
    if (typeof value === 'bigint')
      return value < 0n
        ? mysql.TypedParameter.LONGLONG(value)
        : mysql.TypedParameter.LONGLONG.unsigned(value);
    return value as mysql.ExecuteValues;
  });
}

/** One statement; `prepared` sends it as a prepared statement (see QueryOptions). */
function send(
  connection: Connection,
  sql: string,
  params: Params = [],
  prepared = false,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const done = (error: unknown, result: unknown) => (error ? reject(error) : resolve(result));
    if (prepared) connection.execute(sql, bindTyped(params), done);
    else connection.query(sql, bind(params), done);
  });
}

/** The server holds max_prepared_stmt_count statements in all: past that it refuses more. */
const ER_MAX_PREPARED_STMT_COUNT_REACHED = 1461;

/** A prepared statement, or the text query when the server holds all the statements it will. */
async function sendPrepared(connection: Connection, sql: string, params: Params): Promise<unknown> {
  try {
    return await send(connection, sql, params, true);
  } catch (error) {
    if ((error as { errno?: number }).errno !== ER_MAX_PREPARED_STMT_COUNT_REACHED) throw error;
    return send(connection, sql, params);
  }
}

/** Several statements in one round trip, on a connection that allows multiple statements. */
async function sendAll(
  connection: Connection,
  statements: readonly Statement[],
): Promise<unknown[]> {
  const sql = statements.map(([text]) => text).join(';\n');
  const result = await send(
    connection,
    sql,
    statements.flatMap(([, params]) => params),
  );
  // mysql2 answers one statement with its result, several with an array of results.
  return statements.length === 1 ? [result] : (result as unknown[]);
}

async function sendEach(
  connection: Connection,
  statements: readonly Statement[],
): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const [sql, params] of statements) results.push(await send(connection, sql, params));
  return results;
}

/** The connection broke (mysql2 marks such errors fatal): it must not go back to the pool. */
const isFatal = (error: unknown) => (error as { fatal?: boolean } | null)?.fatal === true;

/**
 * One transaction on one pooled connection. START TRANSACTION travels with its first
 * statement; writes nobody reads the result of can wait for COMMIT (`atCommit`).
 */
export class Transaction {
  private begun = false;
  private readonly deferred: Statement[] = [];
  private readonly committed: Array<() => unknown> = [];

  constructor(
    private readonly connection: Connection,
    private readonly batched: boolean,
  ) {}

  /** One statement's result: rows of a SELECT, or mysql2's result header for a write. */
  async query(sql: string, params: Params = []): Promise<unknown> {
    return (await this.batch([[sql, params]]))[0];
  }

  /**
   * Each statement's result, in order; sending stops at the first error. One round trip when
   * the transaction is batched, one per statement otherwise.
   */
  async batch(statements: readonly Statement[]): Promise<unknown[]> {
    const begin = !this.begun;
    this.begun = true;
    const all: readonly Statement[] = begin
      ? [['START TRANSACTION', []], ...statements]
      : statements;
    const results = this.batched
      ? await sendAll(this.connection, all)
      : await sendEach(this.connection, all);
    return begin ? results.slice(1) : results;
  }

  /** A write nobody reads the result of: sent with the COMMIT. If it fails, nothing commits. */
  atCommit(statement: Statement): void {
    this.deferred.push(statement);
  }

  /** Runs once COMMIT succeeded: a rolled-back or retried try runs none. */
  afterCommit(callback: () => unknown): void {
    this.committed.push(callback);
  }

  async commit(): Promise<void> {
    if (this.begun || this.deferred.length > 0)
      await this.batch([...this.deferred.splice(0), ['COMMIT', []]]);
    for (const callback of this.committed.splice(0)) callback();
  }

  async rollback(): Promise<void> {
    this.deferred.length = 0;
    this.committed.length = 0;
    if (!this.begun) return;
    // A failed statement may have ended the transaction already (a deadlock rolls it back).
    await send(this.connection, 'ROLLBACK');
  }
}

interface NodePools {
  node: DatabaseNode;
  single?: mysql.Pool;
  batched?: mysql.Pool;
}

/**
 * The service's database: mysql2 pools (one per node and kind, opened on first use), every
 * statement and transaction run again from the start when it loses a lock race
 * (src/db/retry.ts). Of several nodes (a Galera cluster) new connections go to one node at a
 * time and move on to the next when it refuses (src/db/nodes.ts).
 */
export class Db {
  private readonly target: DatabaseTarget;
  private readonly pools: NodePools[];
  private readonly rotation: NodeRotation;
  private readonly prepared = new WeakSet<Connection>();
  private readonly galera: boolean;
  /**
   * Whether batched transactions send a batch in one round trip. Not on a Galera cluster: when
   * a write committed on another node aborts a transaction midway through a multi-statement
   * query (a brute-force abort), MariaDB 10.11 runs the rest of that query outside any
   * transaction and may answer it without the deadlock error, so a COMMIT answers OK for an
   * order that was never stored, or writes land without the ones before them
   * (docs/scaling.md, "Multi-statement batches on Galera"). Sent one by one, the abort reaches
   * the next statement as an error and the whole transaction is run again.
   */
  readonly batching: boolean;

  constructor(
    url: string,
    private readonly options: DbOptions = {},
  ) {
    this.target = parseDatabaseUrl(url);
    this.pools = this.target.nodes.map((node) => ({ node }));
    this.galera = this.target.nodes.length > 1;
    this.batching = !this.galera;
    this.rotation = new NodeRotation(
      this.target.nodes,
      firstNodeIndex(this.target.nodes.length, options.firstNode),
      options.spread === 'connection',
    );
  }

  /** One statement outside any transaction (rows of a SELECT, or the result header of a write). */
  query(sql: string, params: Params = [], options: QueryOptions = {}): Promise<unknown> {
    return retryOnLockConflict(() =>
      this.withConnection('single', (c) =>
        options.prepared ? sendPrepared(c, sql, params) : send(c, sql, params),
      ),
    );
  }

  /**
   * Runs `work` in a transaction: committed if it returns, rolled back if it throws, run again
   * from the start if it lost a lock race (a deadlock, or a Galera certification conflict at
   * COMMIT): `work` must not act outside the database before it returns (use afterCommit).
   */
  transaction<T>(
    work: (transaction: Transaction) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const kind: Kind = options.batched && this.batching ? 'batched' : 'single';
    return retryOnLockConflict(() =>
      this.withConnection(kind, async (connection) => {
        const transaction = new Transaction(connection, kind === 'batched');
        try {
          const result = await work(transaction);
          await transaction.commit();
          return result;
        } catch (error) {
          await transaction.rollback().catch(() => undefined);
          throw error;
        }
      }),
    );
  }

  async close(): Promise<void> {
    const pools = this.pools.flatMap(({ single, batched }) => [single, batched]);
    await Promise.all(
      pools.map(
        (pool) =>
          pool &&
          new Promise<void>((resolve, reject) => pool.end((e) => (e ? reject(e) : resolve()))),
      ),
    );
  }

  /** `work` on a pooled connection, given back however it ends (or dropped if it broke). */
  private async withConnection<T>(kind: Kind, work: (c: Connection) => Promise<T>): Promise<T> {
    const connection = await this.acquire(kind);
    try {
      const result = await work(connection);
      connection.release();
      return result;
    } catch (error) {
      if (isFatal(error)) connection.destroy();
      else connection.release();
      throw error;
    }
  }

  private async acquire(kind: Kind): Promise<Connection> {
    let lastError: unknown;
    for (const node of this.galera ? this.rotation.order() : this.target.nodes) {
      let connection: Connection | undefined;
      try {
        connection = await getConnection(this.pool(node, kind));
        if (!this.prepared.has(connection)) {
          await this.prepare(connection);
          this.prepared.add(connection);
        }
        this.rotation.settle(node);
        return connection;
      } catch (error) {
        connection?.destroy();
        lastError = error;
      }
    }
    throw lastError;
  }

  /**
   * A new connection's session. DATETIME columns hold UTC. A Galera node takes connections
   * before it can serve them (joining, or cut off from the Primary component: every statement
   * then fails with 1047): such a node is skipped. On a good one, `wsrep_sync_wait = 1` makes
   * each read wait until the node has applied what the cluster committed before it: a process
   * reading on node B what another wrote on node A a moment earlier sees it. Writes do not
   * wait (docs/scaling.md, "Read your writes across nodes").
   */
  private async prepare(connection: Connection): Promise<void> {
    if (!this.galera) {
      await send(connection, "SET time_zone = '+00:00'");
      return;
    }
    const rows = (await send(connection, "SHOW STATUS LIKE 'wsrep_ready'")) as Array<{
      Value?: string;
    }>;
    if (rows[0]?.Value !== 'ON') throw new Error('Galera node not ready (wsrep_ready is not ON)');
    await send(connection, "SET time_zone = '+00:00', SESSION wsrep_sync_wait = 1");
  }

  private pool(node: DatabaseNode, kind: Kind): mysql.Pool {
    const pools = this.pools.find((entry) => entry.node === node)!;
    const existing = pools[kind];
    if (existing) return existing;
    const { server } = this.target;
    const pool = mysql.createPool({
      host: node.host,
      port: node.port,
      user: server.user,
      password: server.password,
      ...(server.socketPath ? { socketPath: server.socketPath } : {}),
      database: this.target.database,
      charset: 'utf8mb4',
      timezone: '+00:00',
      // DATE columns are calendar days: kept as 'YYYY-MM-DD', never shifted through a zone.
      dateStrings: ['DATE'],
      supportBigNumbers: true,
      bigNumberStrings: false,
      // A conditional UPDATE answers the rows it changed, not the rows it matched.
      flags: ['-FOUND_ROWS'],
      // Safe because every statement binds its values with `?`; none splices input in.
      multipleStatements: kind === 'batched',
      // Of several nodes, one that does not answer is given up on soon for the next.
      ...(this.galera ? { connectTimeout: 3000 } : {}),
      connectionLimit: this.options.poolMax ?? 20,
      maxPreparedStatements: PREPARED_PER_CONNECTION,
      maxIdle: 2,
      idleTimeout: 10_000,
    });
    pools[kind] = pool;
    return pool;
  }
}

function getConnection(pool: mysql.Pool): Promise<Connection> {
  return new Promise((resolve, reject) =>
    pool.getConnection((error, connection) => (error ? reject(error) : resolve(connection))),
  );
}
