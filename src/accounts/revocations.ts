import type { RevocationChannel } from './revocation-channel';

/**
 * Tells every API process at once that tokens were revoked, so their in-process token caches
 * (a few seconds, src/accounts/token-cache.ts) never serve a signed-out token.
 *
 * Why there is no window: the revoking process answers its caller only once the Redis server
 * that ran the publish has written the message to its own subscribers (the publish's reply and
 * then one more round trip to that server, RevocationChannel.publish); a request the caller
 * sends afterwards to another process reaches it after the message. Every process therefore
 * subscribes on the server that runs the publishes: the one Redis, or on a Redis Cluster the
 * master owning the channel's slot (src/accounts/revocation-channel.ts). A process whose
 * subscription is down (or not yet made) does not trust its in-process cache at all
 * (`isListening` false) and forgets it when it listens again, so a missed message cannot leave
 * a token alive. `generation` lets a lookup that raced a revocation skip caching.
 */
export class RevocationBus {
  private listening = false;
  private closed = false;
  /** The subscription being made or in use; a lost or stale one no longer counts. */
  private attempt: object | null = null;
  private subscription: { close(): void } | null = null;
  private retry: NodeJS.Timeout | null = null;
  generation = 0;

  constructor(
    private readonly channel: RevocationChannel,
    private readonly onRevoked: (message: RevocationMessage) => void,
  ) {
    void this.listen(0);
  }

  get isListening(): boolean {
    return this.listening;
  }

  private async listen(failures: number): Promise<void> {
    if (this.closed) return;
    const attempt = {};
    this.attempt = attempt;
    try {
      const subscription = await this.channel.subscribe({
        onMessage: (text) => this.receive(text),
        onLost: () => {
          if (this.attempt === attempt) this.lose(0);
        },
      });
      if (this.closed || this.attempt !== attempt) {
        subscription.close();
        return;
      }
      this.subscription = subscription;
      // Anything revoked while not listening is forgotten before the cache is trusted again.
      this.generation += 1;
      this.onRevoked({ kind: 'all' });
      this.listening = true;
    } catch {
      if (this.attempt === attempt) this.lose(failures + 1);
    }
  }

  private receive(text: string): void {
    const message = parseMessage(text);
    if (!message) return;
    this.generation += 1;
    this.onRevoked(message);
  }

  /** Stops trusting the cache, forgets it, and subscribes again after a pause. */
  private lose(failures: number): void {
    this.listening = false;
    this.attempt = null;
    this.subscription?.close();
    this.subscription = null;
    this.generation += 1;
    this.onRevoked({ kind: 'all' });
    if (this.closed) return;
    this.retry = setTimeout(() => void this.listen(failures), Math.min(200 * (failures + 1), 1000));
    this.retry.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    this.attempt = null;
    if (this.retry) clearTimeout(this.retry);
    this.subscription?.close();
    this.subscription = null;
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
