import type { Db } from '../db/db';
import type { Clock } from '../clock';
import { AppError } from '../http/app-error';
import type { AuthContext } from '../http/auth-context';
import { noteView, type NoteView } from '../notes';
import { FeedRepository, type RankedPosition } from './feed.repository';
import type { FeedMode, FeedQuery } from './feed.schema';
import { blockBits, blockRanges, viewerKey } from './random-order';

type Cursor =
  | { mode: 'random'; friday: string; after: bigint }
  | { mode: 'ranked'; asOf: Date; after: RankedPosition };

export interface FeedPage {
  mode: FeedMode;
  data: NoteView[];
  nextCursor: string | null;
}

const MAX_PER_AUTHOR = 2;
/** The count of notes only sizes the blocks a random page reads; a minute-old one will do. */
const COUNT_TTL_MS = 60_000;
const MAX_RANGES = 512;
/**
 * Notes a block holds on average: each block is one range the optimiser estimates, so fewer,
 * wider blocks cost less than one a note (measured in bench/feed.ts).
 */
const NOTES_PER_BLOCK = 8;

function encode(fields: string[]): string {
  return Buffer.from(`f1|${fields.join('|')}`, 'utf8').toString('base64url');
}

function decode(cursor: string | undefined): Cursor | null {
  if (cursor === undefined || cursor === '') return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const random = /^f1\|r\|(\d{4}-\d{2}-\d{2})\|(\d{1,20})$/.exec(text);
  if (random && BigInt(random[2]!) < 1n << 64n)
    return { mode: 'random', friday: random[1]!, after: BigInt(random[2]!) };
  const ranked = /^f1\|k\|(\d{1,15})\|(\d{1,9})\|(\d{1,15}\.\d{15})\|(nte_[0-9a-z]{26})$/.exec(
    text,
  );
  if (ranked)
    return {
      mode: 'ranked',
      asOf: new Date(Number(ranked[1])),
      after: { tier: Number(ranked[2]), score: ranked[3]!, id: ranked[4]! },
    };
  throw AppError.invalid('cursor_invalid', 'cursor is not one this API gave out', 'cursor');
}

/** The community feed: Friday's random order of every published note, a ranking other days. */
export class FeedService {
  private readonly repo: FeedRepository;
  private count: { value: number; at: number } | null = null;
  private counting: Promise<number> | null = null;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.repo = new FeedRepository(db);
  }

  /** A cursor continues the feed it came from (a Friday's order, a ranking's moment). */
  async page(query: FeedQuery, viewer: AuthContext | undefined): Promise<FeedPage> {
    const cursor = decode(query.cursor);
    const seed = viewer ? `member:${viewer.userId}` : 'anonymous';
    if (cursor?.mode === 'random')
      return this.random(seed, cursor.friday, cursor.after, query.limit);
    if (cursor?.mode === 'ranked') return this.ranked(cursor.asOf, cursor.after, query.limit);
    const local = this.clock.now().setZone(viewer?.timezone ?? query.timezone ?? 'UTC');
    if (local.weekday === 5) return this.random(seed, local.toISODate()!, null, query.limit);
    return this.ranked(this.clock.now().toJSDate(), null, query.limit);
  }

  private async random(
    seed: string,
    friday: string,
    after: bigint | null,
    limit: number,
  ): Promise<FeedPage> {
    const key = viewerKey(seed, friday);
    const width = blockBits(Math.ceil((await this.publishedCount()) / NOTES_PER_BLOCK));
    const rows = [];
    let start: bigint | null = after === null ? 0n : after + 1n;
    if (start === 1n << 64n) start = null;
    // Blocks for about twice the notes needed; fewer found, twice as many blocks.
    let blocks = Math.ceil((2 * (limit + 1)) / NOTES_PER_BLOCK) + 1;
    while (start !== null && rows.length <= limit) {
      const { ranges, next } = blockRanges(key, start, width, blocks);
      rows.push(
        ...(await this.repo.randomPage(key, ranges, after ?? -1n, limit + 1 - rows.length)),
      );
      start = next;
      blocks = Math.min(blocks * 2, MAX_RANGES);
    }
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      mode: 'random',
      data: page.map(noteView),
      nextCursor: rows.length > limit && last ? encode(['r', friday, last.orderValue]) : null,
    };
  }

  private async ranked(asOf: Date, after: RankedPosition | null, limit: number): Promise<FeedPage> {
    const rows = await this.repo.rankedPage(asOf, after, limit + 1);
    // A page ends before an author's third note; the next page starts with it.
    const perAuthor = new Map<string, number>();
    let size = 0;
    for (const row of rows.slice(0, limit)) {
      const shown = perAuthor.get(row.authorId) ?? 0;
      if (shown === MAX_PER_AUTHOR) break;
      perAuthor.set(row.authorId, shown + 1);
      size += 1;
    }
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    return {
      mode: 'ranked',
      data: page.map(noteView),
      nextCursor:
        rows.length > size && last
          ? encode(['k', String(asOf.getTime()), String(last.tier), last.score, last.id])
          : null,
    };
  }

  /** One count at a time; once known, a stale one serves while the next is counted. */
  private async publishedCount(): Promise<number> {
    const now = Date.now();
    if (!this.counting && (!this.count || now - this.count.at > COUNT_TTL_MS)) {
      this.counting = this.repo
        .publishedCount()
        .then((value) => {
          this.count = { value, at: Date.now() };
          return value;
        })
        .finally(() => {
          this.counting = null;
        });
      // A failed refresh behind a stale count is no one's error; a first count's is its caller's.
      this.counting.catch(() => undefined);
    }
    return this.count?.value ?? (await this.counting!);
  }
}
