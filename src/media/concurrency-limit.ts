import { AppError } from '../http/app-error';

/**
 * At most `running` tasks at once, at most `waiting` more queued behind them; beyond that the
 * caller is told to come back (503 with Retry-After) rather than piling photos up in memory.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly running: number,
    private readonly waiting: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.running) {
      if (this.queue.length >= this.waiting)
        throw new AppError(
          503,
          'unavailable',
          'busy',
          'Too many photos are being processed; retry shortly.',
          undefined,
          { 'Retry-After': '2' },
        );
      // The slot is handed over by the task that finishes, so `active` never drops in between.
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
