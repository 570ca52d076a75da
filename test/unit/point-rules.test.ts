import fc from 'fast-check';
import {
  CROSS_CULTURAL_BONUS,
  DAILY_POINTS_CAP,
  LIKE_POINTS,
  LIKE_POINTS_PER_NOTE,
  POINT_REASONS,
  likeAward,
  memberDay,
  openLedgerDay,
  noteAward,
  takeBackAmount,
  withinDailyCap,
} from '../../src/points/point-rules';

describe('the product constants are the ones API.md states', () => {
  test('bonus 10, like 2, 100 a note, 200 a day', () => {
    expect(CROSS_CULTURAL_BONUS).toBe(10);
    expect(LIKE_POINTS).toBe(2);
    expect(LIKE_POINTS_PER_NOTE).toBe(100);
    expect(DAILY_POINTS_CAP).toBe(200);
  });

  test('ledger reasons are exactly the documented ones', () => {
    expect([...POINT_REASONS].sort()).toEqual(
      [
        'airdrop',
        'conversion',
        'like_received',
        'like_removed',
        'note_published',
        'note_revoked',
        // docs/api.md, Glossary of hot words and Brand challenges.
        'glossary_explanation',
        'glossary_revoked',
        'challenge_bonus',
        'challenge_bonus_revoked',
      ].sort(),
    );
  });
});

describe('noteAward', () => {
  test.each([
    [20, false, 20],
    [20, true, 30],
    [50, false, 50],
    [50, true, 60],
    [0, false, 0],
    [0, true, 10],
  ])('NOTE_POINTS %i, cross-cultural %s -> %i', (notePoints, crossCultural, expected) => {
    expect(noteAward(notePoints, crossCultural)).toBe(expected);
  });
});

describe('likeAward', () => {
  test.each([
    [0, 2],
    [2, 2],
    [50, 2],
    [98, 2],
    [99, 1],
    [100, 0],
    [101, 0],
    [250, 0],
  ])('after %i like points the next like earns %i', (soFar, expected) => {
    expect(likeAward(soFar)).toBe(expected);
  });

  test('51 likes in a row earn exactly 100', () => {
    let total = 0;
    for (let i = 0; i < 51; i += 1) total += likeAward(total);
    expect(total).toBe(100);
  });

  test('any run of likes and removals never holds more than 100 on a note', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 300 }), (likes) => {
        const earned: number[] = [];
        let net = 0;
        for (const isLike of likes) {
          if (isLike) {
            const award = likeAward(net);
            expect(award).toBeGreaterThanOrEqual(0);
            expect(award).toBeLessThanOrEqual(LIKE_POINTS);
            earned.push(award);
            net += award;
          } else if (earned.length > 0) {
            net -= earned.pop()!;
          }
          expect(net).toBeLessThanOrEqual(LIKE_POINTS_PER_NOTE);
          expect(net).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});

describe('withinDailyCap', () => {
  test.each([
    [30, 0, 30],
    [30, 170, 30],
    [30, 180, 20],
    [2, 199, 1],
    [30, 200, 0],
    [30, 260, 0],
    [0, 0, 0],
    [200, 0, 200],
    [250, 0, 200],
  ])('wanting %i after %i earned today grants %i', (wanted, earnedToday, expected) => {
    expect(withinDailyCap(wanted, earnedToday)).toBe(expected);
  });

  test('what is granted is never negative, never more than wanted, never past the cap', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(400), (wanted, earnedToday) => {
        const granted = withinDailyCap(wanted, earnedToday);
        expect(granted).toBeGreaterThanOrEqual(0);
        expect(granted).toBeLessThanOrEqual(wanted);
        if (earnedToday <= DAILY_POINTS_CAP)
          expect(earnedToday + granted).toBeLessThanOrEqual(DAILY_POINTS_CAP);
      }),
    );
  });
});

describe('memberDay', () => {
  test.each([
    ['UTC midday', '2030-03-10T12:00:00Z', 'UTC', '2030-03-10'],
    [
      'Kiritimati (UTC+14) one second before local midnight',
      '2030-03-10T09:59:59Z',
      'Pacific/Kiritimati',
      '2030-03-10',
    ],
    [
      'Kiritimati at local midnight, same UTC date',
      '2030-03-10T10:00:00Z',
      'Pacific/Kiritimati',
      '2030-03-11',
    ],
    ['Tokyo just before local midnight', '2030-03-10T14:59:59.999Z', 'Asia/Tokyo', '2030-03-10'],
    ['Tokyo at local midnight', '2030-03-10T15:00:00Z', 'Asia/Tokyo', '2030-03-11'],
    [
      'Los Angeles is still yesterday after UTC midnight',
      '2030-01-11T07:59:59Z',
      'America/Los_Angeles',
      '2030-01-10',
    ],
    [
      'Los Angeles at its own midnight',
      '2030-01-11T08:00:00Z',
      'America/Los_Angeles',
      '2030-01-11',
    ],
    [
      'Berlin on the night clocks go forward',
      '2030-03-30T23:30:00Z',
      'Europe/Berlin',
      '2030-03-31',
    ],
    [
      'Kolkata half-hour offset before midnight',
      '2030-03-10T18:29:59Z',
      'Asia/Kolkata',
      '2030-03-10',
    ],
    ['Kolkata half-hour offset at midnight', '2030-03-10T18:30:00Z', 'Asia/Kolkata', '2030-03-11'],
    ['an unknown zone counts in UTC', '2030-03-10T23:30:00Z', 'Mars/Olympus_Mons', '2030-03-10'],
  ])('%s', (_name, at, zone, expected) => {
    expect(memberDay(new Date(at), zone)).toBe(expected);
  });
});

describe('openLedgerDay', () => {
  const iso = (d: Date) => d.toISOString();
  test.each([
    [
      'no earlier day: the calendar day of the zone',
      '2030-03-10T12:00:00Z',
      'Asia/Tokyo',
      null,
      ['2030-03-10', '2030-03-09T15:00:00.000Z', '2030-03-10T15:00:00.000Z'],
    ],
    [
      'the earlier day ended at this local midnight: the calendar day',
      '2030-03-10T16:00:00Z',
      'Asia/Tokyo',
      '2030-03-10T15:00:00Z',
      ['2030-03-11', '2030-03-10T15:00:00.000Z', '2030-03-11T15:00:00.000Z'],
    ],
    [
      'the earlier day ended long ago: the calendar day',
      '2030-03-20T01:00:00Z',
      'UTC',
      '2030-03-11T00:00:00Z',
      ['2030-03-20', '2030-03-20T00:00:00.000Z', '2030-03-21T00:00:00.000Z'],
    ],
    [
      'after a switch to Kiritimati: starts where the UTC day ended, runs to a Kiritimati midnight 24 h on',
      '2030-03-11T00:00:01Z',
      'Pacific/Kiritimati',
      '2030-03-11T00:00:00Z',
      ['2030-03-11', '2030-03-11T00:00:00.000Z', '2030-03-12T10:00:00.000Z'],
    ],
    [
      'a late start that lands on a local midnight 24 h on ends there',
      '2030-03-11T03:00:00Z',
      'UTC',
      '2030-03-11T00:30:00Z',
      ['2030-03-11', '2030-03-11T00:30:00.000Z', '2030-03-13T00:00:00.000Z'],
    ],
    [
      'Berlin, the 23 h day clocks go forward',
      '2030-03-31T12:00:00Z',
      'Europe/Berlin',
      '2030-03-30T23:00:00Z',
      ['2030-03-31', '2030-03-30T23:00:00.000Z', '2030-03-31T22:00:00.000Z'],
    ],
    [
      'an unknown zone counts in UTC',
      '2030-03-10T23:30:00Z',
      'Mars/Olympus_Mons',
      null,
      ['2030-03-10', '2030-03-10T00:00:00.000Z', '2030-03-11T00:00:00.000Z'],
    ],
  ])('%s', (_name, at, zone, previousEnd, [day, startsAt, endsAt]) => {
    const opened = openLedgerDay(new Date(at), zone, previousEnd ? new Date(previousEnd) : null);
    expect({ day: opened.day, startsAt: iso(opened.startsAt), endsAt: iso(opened.endsAt) }).toEqual(
      {
        day,
        startsAt,
        endsAt,
      },
    );
  });

  test('days opened one after another never overlap, contain their instant, and a late one runs 24 h or more', () => {
    const zones = [
      'UTC',
      'Pacific/Kiritimati',
      'Pacific/Pago_Pago',
      'Asia/Tokyo',
      'Asia/Kathmandu',
      'Asia/Kolkata',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 40 * 3600 }), fc.constantFrom(...zones)), {
          minLength: 1,
          maxLength: 30,
        }),
        (steps) => {
          let at = Date.parse('2030-01-01T00:00:00Z');
          let previousEnd: Date | null = null;
          for (const [seconds, zone] of steps) {
            at += seconds * 1000;
            if (previousEnd && previousEnd.getTime() > at) continue; // that day is still open
            const day = openLedgerDay(new Date(at), zone, previousEnd);
            expect(day.startsAt.getTime()).toBeLessThanOrEqual(at);
            expect(day.endsAt.getTime()).toBeGreaterThan(at);
            if (previousEnd)
              expect(day.startsAt.getTime()).toBeGreaterThanOrEqual(previousEnd.getTime());
            if (previousEnd && day.startsAt.getTime() === previousEnd.getTime())
              expect(day.endsAt.getTime() - day.startsAt.getTime()).toBeGreaterThanOrEqual(
                24 * 3600_000,
              );
            previousEnd = day.endsAt;
          }
        },
      ),
    );
  });
});

describe('takeBackAmount', () => {
  test.each([
    [30, 100, 30],
    [30, 30, 30],
    [30, 10, 10],
    [2, 1, 1],
    [30, 0, 0],
    [0, 50, 0],
  ])('taking back %i from a balance of %i takes %i', (earned, balance, expected) => {
    expect(takeBackAmount(earned, balance)).toBe(expected);
  });

  test('never more than earned, never more than the balance, never negative', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), (earned, balance) => {
        const taken = takeBackAmount(earned, balance);
        expect(taken).toBeGreaterThanOrEqual(0);
        expect(taken).toBeLessThanOrEqual(earned);
        expect(balance - taken).toBeGreaterThanOrEqual(0);
        expect(taken === earned || balance - taken === 0).toBe(true);
      }),
    );
  });
});
