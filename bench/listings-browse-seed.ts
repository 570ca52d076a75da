import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { parseDatabaseUrl } from '../src/db/database';
import { newId } from '../src/ids';
import { indexTokens, tokenBits } from '../src/search/search-tokens';

export const LISTINGS = Number(process.env.BENCH_LISTINGS ?? 100_000);

const WORDS = [
  'tea',
  'bowl',
  'matcha',
  'vintage',
  'camera',
  'silk',
  'scarf',
  'coffee',
  'beans',
  'tile',
  'cork',
  'wallet',
  'linen',
  'shirt',
  'lamp',
  'brass',
  'oak',
  'table',
  'vinyl',
  'record',
  'ceramic',
  'vase',
  'wool',
  'rug',
];
const CJK = [
  '抹茶',
  '茶碗',
  '京都',
  '着物',
  '手ぬぐい',
  '陶器',
  '한국',
  '전통',
  '찻잔',
  '丝绸',
  '围巾',
  '景德镇',
];
const CATEGORIES = [
  'ceramics',
  'tea',
  'textiles',
  'cameras',
  'food',
  'furniture',
  'music',
  'accessories',
];
const CURRENCIES = ['USD', 'EUR', 'JPY', 'BRL', 'KRW', 'GBP'];
const CONDITIONS = ['new', 'used', 'handmade'];

/** A small seeded PRNG (mulberry32), so every run seeds the same catalogue. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(42);
const pick = <T>(items: T[], _i: number): T => items[Math.floor(next() * items.length)]!;

function listingAt(i: number) {
  const title =
    `${pick(WORDS, i)} ${pick(WORDS, i)} ${next() < 0.3 ? pick(CJK, i) : ''} #${i}`.trim();
  const description =
    `${pick(WORDS, i)} ${pick(WORDS, i)} ${next() < 0.25 ? pick(CJK, i) : ''}`.trim();
  return {
    title,
    description,
    category: pick(CATEGORIES, i),
    currency: pick(CURRENCIES, i),
    condition: pick(CONDITIONS, i),
    price: 500 + Math.floor(next() * 50_000),
  };
}

/** A TSV field for LOAD DATA (tab-separated, backslash escapes). */
function field(value: string | number): string {
  return String(value).replace(/[\\\t\n]/g, (c) =>
    c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\\\',
  );
}

/** Lines of a TSV file, written through a buffer (one write per ~1 MB). */
class TsvFile {
  private readonly fd: number;
  private chunk: string[] = [];
  private size = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  add(...values: Array<string | number>): void {
    const line = `${values.map(field).join('\t')}\n`;
    this.chunk.push(line);
    this.size += line.length;
    if (this.size > 1_000_000) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    writeSync(this.fd, this.chunk.join(''));
    this.chunk = [];
    this.size = 0;
  }
}

/**
 * Seeds LISTINGS active listings with their search tokens and ship-to countries: written to
 * TSV files, then one LOAD DATA LOCAL per table, so a million listings take a minute or two
 * rather than the half hour of multi-row INSERTs.
 */
export async function seed(databaseUrl: string): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cs-listings-seed-'));
  const files = {
    listings: new TsvFile(path.join(dir, 'listings.tsv')),
    tokens: new TsvFile(path.join(dir, 'tokens.tsv')),
    terms: new TsvFile(path.join(dir, 'terms.tsv')),
    countries: new TsvFile(path.join(dir, 'countries.tsv')),
  };
  const sellers = Array.from({ length: 200 }, () => newId('usr'));
  const base = Date.now() - LISTINGS * 1000;
  const now = new Date().toISOString().slice(0, 23).replace('T', ' ');
  const terms = new Set<string>();
  for (let i = 0; i < LISTINGS; i += 1) {
    const l = listingAt(i);
    const id = newId('lst', base + i * 1000);
    const shipsTo = next() < 0.2 ? [pick(['JP', 'US', 'BR', 'DE', 'KR'], i)] : [];
    files.listings.add(
      id,
      pick(sellers, i),
      l.title,
      l.description,
      l.price,
      l.currency,
      1 + (i % 20),
      l.category,
      l.condition,
      '[]',
      JSON.stringify(shipsTo),
      shipsTo.length === 0 ? 1 : 0,
      'active',
      now,
      now,
    );
    const tokens = indexTokens(`${l.title} ${l.description}`);
    const bits = tokenBits(tokens).toString();
    for (const token of tokens) {
      files.tokens.add(token, id, bits, 'active', l.category, l.condition, l.currency, l.price);
      if (!terms.has(token)) {
        terms.add(token);
        files.terms.add(token);
      }
    }
    for (const country of shipsTo) files.countries.add(country, id);
  }
  for (const file of Object.values(files)) file.close();

  const target = parseDatabaseUrl(databaseUrl);
  const connection = await mysql.createConnection({
    ...target.server,
    database: target.database,
    infileStreamFactory: (file: string) => createReadStream(file),
  });
  try {
    // Checks the generator makes true anyway (unique ids, no foreign keys), off for the load.
    await connection.query('SET unique_checks = 0, foreign_key_checks = 0');
    const load = (file: TsvFile, table: string, columns: string) =>
      connection.query({
        sql: `LOAD DATA LOCAL INFILE ? INTO TABLE ${table} CHARACTER SET utf8mb4 (${columns})`,
        values: [file.path],
        infileStreamFactory: () => createReadStream(file.path),
      });
    await load(
      files.listings,
      'listings',
      'id, seller_id, title, description, price_amount, currency, quantity, category, item_condition, images, ships_to, ships_worldwide, status, created_at, updated_at',
    );
    await load(
      files.tokens,
      'listing_search_tokens',
      'token, listing_id, token_bits, status, category, item_condition, currency, price_amount',
    );
    await load(files.terms, 'listing_search_terms', 'token');
    await load(files.countries, 'listing_ship_countries', 'country, listing_id');
    await connection.query(
      'ANALYZE TABLE listings, listing_search_tokens, listing_search_terms, listing_ship_countries',
    );
  } finally {
    await connection.end();
    rmSync(dir, { recursive: true, force: true });
  }
}
