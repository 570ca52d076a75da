interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes that arrive together under one key share one transaction. While a batch
 * of a key is being written, the next one gathers; each caller's promise settles with the batch
 * that carried its item. At a drop's opening, hundreds of winners arrive within milliseconds,
 * and one transaction (one fsync) per winner queued them behind each other in MySQL.
 */
export class GroupCommit<T> {
  private readonly gathering = new Map<string, Waiting<T>[]>();
  private readonly writing = new Set<string>();

  constructor(
    /** Writes every item or none: throwing fails each item of the batch. */
    private readonly write: (key: string, items: T[]) => Promise<void>,
    private readonly maxBatch = 100,
  ) {}

  /** Settles once `item` is written (or its batch failed). */
  add(key: string, item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiting = this.gathering.get(key);
      if (waiting) {
        waiting.push({ item, resolve, reject });
        return;
      }
      this.gathering.set(key, [{ item, resolve, reject }]);
      // Items that arrive in the same turn of the event loop join this batch.
      if (!this.writing.has(key)) setImmediate(() => void this.flush(key));
    });
  }

  /** Resolves once nothing is gathering or being written (shutdown waits for it). */
  async drain(): Promise<void> {
    while (this.gathering.size > 0 || this.writing.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async flush(key: string): Promise<void> {
    const waiting = this.gathering.get(key);
    if (!waiting) return;
    const batch = waiting.splice(0, this.maxBatch);
    if (waiting.length === 0) this.gathering.delete(key);
    this.writing.add(key);
    try {
      await this.write(
        key,
        batch.map((w) => w.item),
      );
      for (const w of batch) w.resolve();
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      this.writing.delete(key);
      // What gathered meanwhile goes next.
      if (this.gathering.has(key)) void this.flush(key);
    }
  }
}
