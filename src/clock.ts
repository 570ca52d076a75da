import { DateTime } from 'luxon';

/** Where time comes from; tests inject a fixed or advancing clock instead of sleeping. */
export interface Clock {
  now(): DateTime;
}

export const systemClock: Clock = {
  now: () => DateTime.utc(),
};

/** A clock that stands still until told to move. */
export class ManualClock implements Clock {
  private current: DateTime;

  constructor(start: DateTime = DateTime.utc()) {
    this.current = start.toUTC();
  }

  now(): DateTime {
    return this.current;
  }

  set(at: DateTime): void {
    this.current = at.toUTC();
  }

  advance(duration: {
    milliseconds?: number;
    seconds?: number;
    minutes?: number;
    hours?: number;
  }): void {
    this.current = this.current.plus(duration);
  }
}
