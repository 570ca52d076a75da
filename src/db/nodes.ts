import cluster from 'node:cluster';
import type { Sequelize } from 'sequelize';

/** One MySQL server of DATABASE_URL's host list. */
export interface DatabaseNode {
  host: string;
  port: number;
}

/** `host[:port][,host[:port]...]` (IPv6 in brackets), in the order written. */
export function parseNodes(hosts: string): DatabaseNode[] {
  return hosts.split(',').map((item) => {
    const match = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(item.trim());
    if (!match) throw new Error(`bad host in DATABASE_URL: ${item}`);
    return {
      host: match[1]!.replace(/^\[|\]$/g, '') || '127.0.0.1',
      port: match[2] ? Number(match[2]) : 3306,
    };
  });
}

/**
 * The node this process connects to first: DATABASE_FIRST_NODE, else one per API process of a
 * node:cluster (its worker id), so the processes of one machine spread over the nodes.
 */
export function firstNodeIndex(nodeCount: number, configured?: number): number {
  const own = configured ?? (cluster.isWorker ? (cluster.worker?.id ?? 1) - 1 : 0);
  return own % nodeCount;
}

/**
 * Which node new connections go to. It stays on one node while that node takes connections
 * and moves to the next one in the list when it refuses (down, or not part of the cluster's
 * Primary component), so the connections of one process are on one node at a time.
 */
export class NodeRotation {
  private current: number;

  /**
   * `roundRobin`: each new connection starts at the next node instead, so one process writes
   * through every node at once (the cluster tests race transactions across nodes this way).
   */
  constructor(
    readonly nodes: readonly DatabaseNode[],
    first = 0,
    private readonly roundRobin = false,
  ) {
    this.current = first % nodes.length;
  }

  /** The nodes to try, starting with the current one. */
  order(): DatabaseNode[] {
    const start = this.current;
    if (this.roundRobin) this.current = (this.current + 1) % this.nodes.length;
    return this.nodes.map((_, i) => this.nodes[(start + i) % this.nodes.length]!);
  }

  /** A connection to `node` worked: later connections go there too. */
  settle(node: DatabaseNode): void {
    if (!this.roundRobin) this.current = this.nodes.indexOf(node);
  }
}

interface RawConnection {
  query(sql: string, callback: (error: Error | null, rows: unknown) => void): unknown;
  destroy(): void;
}

function ask(connection: RawConnection, sql: string): Promise<unknown> {
  return new Promise((resolve, reject) =>
    connection.query(sql, (error, rows) => (error ? reject(error) : resolve(rows))),
  );
}

/**
 * A Galera node takes connections before it can serve them (joining, or cut off from the
 * Primary component: every statement then fails with 1047). Such a node is skipped. On a good
 * one, `wsrep_sync_wait = 1` makes each read wait until the node has applied what the cluster
 * committed before it: a process reading on node B what another wrote on node A a moment
 * earlier sees it (1 stale read in 500 without it, measured here).
 */
async function prepareGaleraSession(connection: RawConnection): Promise<void> {
  const rows = (await ask(connection, "SHOW STATUS LIKE 'wsrep_ready'")) as Array<{
    Value?: string;
  }>;
  if (rows[0]?.Value !== 'ON') throw new Error('Galera node not ready (wsrep_ready is not ON)');
  await ask(connection, 'SET SESSION wsrep_sync_wait = 1');
}

/**
 * Spreads Sequelize's new connections over several Galera nodes with failover: each new
 * connection goes to the rotation's current node, or the next one that answers. Connections
 * already open to a node that dies fail their statement and are dropped by the pool.
 */
export function connectThroughNodes(sequelize: Sequelize, rotation: NodeRotation): void {
  const manager = sequelize.connectionManager as unknown as {
    connect(config: Record<string, unknown>): Promise<RawConnection>;
  };
  const connect = manager.connect.bind(manager);
  manager.connect = async (config) => {
    let lastError: unknown;
    for (const node of rotation.order()) {
      let connection: RawConnection | undefined;
      try {
        connection = await connect({ ...config, host: node.host, port: node.port });
        await prepareGaleraSession(connection);
        rotation.settle(node);
        return connection;
      } catch (error) {
        connection?.destroy();
        lastError = error;
      }
    }
    throw lastError;
  };
}
