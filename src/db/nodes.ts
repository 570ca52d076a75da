import cluster from 'node:cluster';

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
