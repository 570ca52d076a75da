import type { Sequelize } from 'sequelize';
import { newId } from '../src/ids';
import { indexTokens } from '../src/search/search-tokens';

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

/** Inserts LISTINGS active listings with their search tokens, in chunks of multi-row INSERTs. */
export async function seed(sequelize: Sequelize): Promise<void> {
  const sellers = Array.from({ length: 200 }, () => newId('usr'));
  const base = Date.now() - LISTINGS * 1000;
  for (let start = 0; start < LISTINGS; start += 2000) {
    const rows: unknown[] = [];
    const tokens: unknown[] = [];
    const countries: unknown[] = [];
    let tokenRows = 0;
    let countryRows = 0;
    const count = Math.min(2000, LISTINGS - start);
    for (let i = start; i < start + count; i += 1) {
      const l = listingAt(i);
      const id = newId('lst', base + i * 1000);
      const shipsTo = next() < 0.2 ? [pick(['JP', 'US', 'BR', 'DE', 'KR'], i)] : [];
      rows.push(
        id,
        pick(sellers, i),
        l.title,
        l.description,
        l.price,
        l.currency,
        1 + (i % 20),
        l.category,
        l.condition,
        JSON.stringify(shipsTo),
        shipsTo.length === 0 ? 1 : 0,
      );
      for (const token of indexTokens(`${l.title} ${l.description}`)) {
        tokens.push(token, id);
        tokenRows += 1;
      }
      for (const country of shipsTo) {
        countries.push(country, id);
        countryRows += 1;
      }
    }
    const now = new Date().toISOString().slice(0, 23).replace('T', ' ');
    await sequelize.query(
      `INSERT INTO listings (id, seller_id, title, description, price_amount, currency, quantity, category, item_condition, images, ships_to, ships_worldwide, status, created_at, updated_at)
       VALUES ${Array(count).fill(`(?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, 'active', '${now}', '${now}')`).join(', ')}`,
      { replacements: rows },
    );
    await sequelize.query(
      `INSERT INTO listing_search_tokens (token, listing_id) VALUES ${Array(tokenRows).fill('(?, ?)').join(', ')}`,
      { replacements: tokens },
    );
    const terms = [...new Set(tokens.filter((_, index) => index % 2 === 0))];
    await sequelize.query(
      `INSERT IGNORE INTO listing_search_terms (token) VALUES ${Array(terms.length).fill('(?)').join(', ')}`,
      { replacements: terms },
    );
    if (countryRows > 0)
      await sequelize.query(
        `INSERT INTO listing_ship_countries (country, listing_id) VALUES ${Array(countryRows).fill('(?, ?)').join(', ')}`,
        { replacements: countries },
      );
  }
  await sequelize.query('ANALYZE TABLE listings, listing_search_tokens, listing_ship_countries');
}
