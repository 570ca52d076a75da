import { Cluster, type Redis as SingleRedis } from 'ioredis';
import { redisKey, type Redis } from '../redis/connection';

/** A subscription of one connection: what arrives on it, and when it stops hearing. */
export interface ChannelListener {
  onMessage(text: string): void;
  /** The connection closed or the server unsubscribed it: messages may be missed from now. */
  onLost(): void;
}

/**
 * The Redis channel revocations go through, and the one server whose subscribers hold a
 * message by the time its publish returns (src/accounts/revocations.ts says why that matters).
 *
 * On one Redis server: PUBLISH and SUBSCRIBE. On a Redis Cluster a PUBLISH reaches subscribers
 * connected to other nodes later, over the cluster bus (docs/scaling.md has the measurement), so
 * there it is
 * sharded pub/sub: SPUBLISH runs on the master owning the channel's slot and every process
 * subscribes (SSUBSCRIBE) on that master, never on a replica, which hears it later too.
 */
export class RevocationChannel {
  readonly name: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.name = redisKey(prefix, 'revocations');
  }

  /**
   * Resolves once the server has written the messages to every subscriber. It writes its
   * replies after running commands, the publisher's before the subscribers' copies, and can be
   * descheduled in between; a command sent after the replies arrived runs only after those
   * writes.
   */
  async publish(texts: readonly string[]): Promise<void> {
    const redis = this.redis;
    await Promise.all(
      texts.map((text) =>
        redis instanceof Cluster ? redis.spublish(this.name, text) : redis.publish(this.name, text),
      ),
    );
    // The channel's name as a key hashes to the channel's slot: the same server answers.
    if (texts.length > 0) await redis.exists(this.name);
  }

  /**
   * A new connection of its own (a subscribed connection runs no other command), subscribed.
   * It never reconnects by itself: once `onLost` is called, the caller subscribes anew, on the
   * server that then runs the channel's publishes. Fails if it cannot subscribe there.
   */
  async subscribe(listener: ChannelListener): Promise<{ close(): void }> {
    const cluster = this.redis instanceof Cluster ? this.redis : null;
    const server = cluster ? await this.slotMaster(cluster) : (this.redis as SingleRedis);
    const connection = server.duplicate({ lazyConnect: true, retryStrategy: () => null });
    // A loss while subscribing fails the subscribe; only a live subscription reports `onLost`.
    let state = 'subscribing' as 'subscribing' | 'live' | 'lost';
    const lose = () => {
      const wasLive = state === 'live';
      state = 'lost';
      hangUp(connection);
      if (wasLive) listener.onLost();
    };
    // The subscription alone never keeps a process (or a test run) alive.
    connection.on('connect', () =>
      (connection as { stream?: { unref?: () => void } }).stream?.unref?.(),
    );
    connection.on('error', () => undefined);
    connection.on('close', lose);
    // An unsubscribe the server sends by itself: the slot moved away from this node.
    connection.on('moved', lose);
    connection.on('message', (_channel: string, text: string) => listener.onMessage(text));
    connection.on('smessage', (_channel: string, text: string) => listener.onMessage(text));
    try {
      await connection.connect();
      if (cluster) {
        // A master not owning the slot answers MOVED. A replica takes the subscription, so the
        // node is asked its role once subscribed: a master losing the slot after this point
        // unsubscribes us (`moved`); a replica promoted meanwhile is the owner now.
        await connection.ssubscribe(this.name);
        const [role] = (await server.role()) as [string];
        if (role !== 'master') throw new Error(`${server.options.port} is a ${role}`);
      } else {
        await connection.subscribe(this.name);
      }
      if (state === 'lost') throw new Error(`lost ${server.options.port} while subscribing`);
      state = 'live';
      return {
        close: () => {
          state = 'lost';
          hangUp(connection);
        },
      };
    } catch (error) {
      state = 'lost';
      hangUp(connection);
      cluster?.refreshSlotsCache();
      throw error;
    }
  }

  /** The cluster client's connection to the master of the channel's slot, as it last knew. */
  private async slotMaster(cluster: Cluster): Promise<SingleRedis> {
    const slot = await cluster.cluster('KEYSLOT', this.name);
    const nodeKey = cluster.slots[slot]?.[0];
    const node = cluster
      .nodes('master')
      .find(({ options }) => `${options.host}:${options.port}` === nodeKey);
    if (!node) {
      cluster.refreshSlotsCache();
      throw new Error(`no known master for ${this.name}`);
    }
    return node;
  }
}

/**
 * Closes `connection` unless it is closed already: ioredis' disconnect of a closed socket leaves
 * a 2 s timer (its disconnectTimeout) that keeps the process alive.
 */
function hangUp(connection: SingleRedis): void {
  if (connection.status !== 'end' && connection.status !== 'close') connection.disconnect();
}
