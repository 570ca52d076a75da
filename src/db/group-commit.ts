interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Items per write at most. */
  maxBatch?: number;
  /** Writes of one key in flight at once; while all are busy, the next batch gathers. */
  maxWrites?: number;
}

/**
 * Group commit: writes that arrive together under one key share one transaction. While a key's
 * writes are all in flight, the next batch gathers; each caller's promise settles with the
 * batch that carried its item. At a drop's opening, hundreds of winners arrive within
 * milliseconds: one transaction (one fsync) per winner would queue them behind each other in
 * MySQL, and one write at a time would queue the batches instead (each takes two round trips
 * through a busy event loop), so a few run side by side.
 */
export class GroupCommit<T> {
  private readonly gathering = new Map<string, Waiting<T>[]>();
  private readonly writing = new Map<string, number>();
  private readonly maxBatch: number;
  private readonly maxWrites: number;

  constructor(
    /** Writes every item or none: throwing fails each item of the batch. */
    private readonly write: (key: string, items: T[]) => Promise<void>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 100;
    this.maxWrites = options.maxWrites ?? 4;
  }

  /** Settles once `item` is written (or its batch failed). */
  add(key: string, item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiting = this.gathering.get(key);
      if (waiting) {
        // A flush is already due for it: scheduled, or when a write of the key finishes.
        waiting.push({ item, resolve, reject });
        return;
      }
      this.gathering.set(key, [{ item, resolve, reject }]);
      // Items that arrive in the same turn of the event loop join this batch.
      if (this.inFlight(key) < this.maxWrites) setImmediate(() => void this.flush(key));
    });
  }

  /** Resolves once nothing is gathering or being written (shutdown waits for it). */
  async drain(): Promise<void> {
    while (this.gathering.size > 0 || this.writing.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private inFlight(key: string): number {
    return this.writing.get(key) ?? 0;
  }

  private async flush(key: string): Promise<void> {
    const waiting = this.gathering.get(key);
    if (!waiting || this.inFlight(key) >= this.maxWrites) return;
    const batch = waiting.splice(0, this.maxBatch);
    if (waiting.length === 0) this.gathering.delete(key);
    this.writing.set(key, this.inFlight(key) + 1);
    // More than one batch's worth gathered: the rest may go beside this one.
    if (this.gathering.has(key)) setImmediate(() => void this.flush(key));
    try {
      await this.write(
        key,
        batch.map((w) => w.item),
      );
      for (const w of batch) w.resolve();
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      const left = this.inFlight(key) - 1;
      if (left === 0) this.writing.delete(key);
      else this.writing.set(key, left);
      // What gathered meanwhile goes next.
      if (this.gathering.has(key)) void this.flush(key);
    }
  }
}
