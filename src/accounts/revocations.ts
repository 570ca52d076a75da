import { Cluster } from 'ioredis';
import type { Redis } from '../redis/connection';
import { redisKey } from '../redis/connection';

/**
 * Tells every API process at once that tokens were revoked, so their in-process token caches
 * (a few seconds, src/accounts/token-cache.ts) never serve a signed-out token.
 *
 * Why there is no window: the revoking process answers its caller only after PUBLISH returned,
 * and Redis writes the message to every subscriber in the same event-loop turn as that reply;
 * a request the caller sends afterwards to another process reaches it after the message. A
 * process whose subscription is down (or not yet made) does not trust its in-process cache at
 * all (`isListening` false) and forgets it when it listens again, so a missed message cannot
 * leave a token alive. `generation` lets a lookup that raced a revocation skip caching.
 */
export class RevocationBus {
  private listening = false;
  private closed = false;
  generation = 0;

  constructor(
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly onRevoked: (message: RevocationMessage) => void,
  ) {
    subscriber.on('close', () => this.lose());
    subscriber.on('end', () => this.lose());
    subscriber.on('ready', () => void this.listen());
    subscriber.on('connect', () => unrefSocket(subscriber));
    subscriber.on('error', () => undefined);
    subscriber.on('message', (_channel: string, text: string) => {
      const message = parseMessage(text);
      if (!message) return;
      this.generation += 1;
      this.onRevoked(message);
    });
  }

  static channelOf(prefix: string): string {
    return redisKey(prefix, 'revocations');
  }

  get isListening(): boolean {
    return this.listening;
  }

  private lose(): void {
    this.listening = false;
    this.generation += 1;
    this.onRevoked({ kind: 'all' });
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    try {
      await this.subscriber.subscribe(this.channel);
      // Anything revoked while not listening is forgotten before the cache is trusted again.
      this.generation += 1;
      this.onRevoked({ kind: 'all' });
      this.listening = true;
    } catch {
      this.listening = false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    this.subscriber.disconnect();
  }
}

export type RevocationMessage =
  { kind: 'token'; tokenHash: string } | { kind: 'user'; userId: string } | { kind: 'all' };

export function formatMessage(
  message: { kind: 'token'; tokenHash: string } | { kind: 'user'; userId: string },
) {
  return message.kind === 'token' ? `t:${message.tokenHash}` : `u:${message.userId}`;
}

function parseMessage(text: string): RevocationMessage | null {
  const value = text.slice(2);
  if (text.startsWith('t:')) return { kind: 'token', tokenHash: value };
  if (text.startsWith('u:')) return { kind: 'user', userId: value };
  return null;
}

/** The subscription alone never keeps a process (or a test run) alive. */
function unrefSocket(connection: Redis): void {
  const stream = (connection as { stream?: { unref?: () => void } }).stream;
  stream?.unref?.();
}

/** A connection of its own for the subscription (a subscribed connection runs no commands). */
export function subscriberFor(redis: Redis): Redis {
  return redis instanceof Cluster ? redis.duplicate() : redis.duplicate();
}
