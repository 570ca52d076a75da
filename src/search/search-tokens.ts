import { crc32 } from 'node:zlib';

/**
 * Tokens of the search indexes (listings, notes). Spaced scripts give lower-cased, accent-free words;
 * scripts written without spaces (Han, Kana, Hangul) give overlapping character bigrams and
 * single characters, so a query of any length finds text it occurs in, with no dictionary.
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]+/gu;
const WORD = /[\p{L}\p{N}]+/gu;
const DIACRITICS = /[\u0300-\u036f]/g;
const MAX_TOKEN_LENGTH = 40;

function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(DIACRITICS, '')
    .normalize('NFC');
}

function cjkTokens(run: string): string[] {
  const chars = [...run];
  const tokens = new Set(chars);
  for (let i = 0; i + 1 < chars.length; i += 1) tokens.add(chars[i]! + chars[i + 1]!);
  return [...tokens];
}

/** Every token a text is findable by. */
export function indexTokens(text: string): string[] {
  const folded = fold(text);
  const tokens = new Set<string>();
  for (const run of folded.match(CJK) ?? []) for (const token of cjkTokens(run)) tokens.add(token);
  for (const word of folded.replace(CJK, ' ').match(WORD) ?? [])
    tokens.add(word.slice(0, MAX_TOKEN_LENGTH));
  return [...tokens];
}

export interface QueryToken {
  token: string;
  /** The last word of a query also matches longer words ("tea" finds "teapot"). */
  isPrefix: boolean;
}

/** What a query must match: all of these tokens. */
export function queryTokens(query: string, maxTokens = 8): QueryToken[] {
  const folded = fold(query);
  const result: QueryToken[] = [];
  for (const run of folded.match(CJK) ?? []) {
    const chars = [...run];
    if (chars.length === 1) result.push({ token: chars[0]!, isPrefix: false });
    for (let i = 0; i + 1 < chars.length; i += 1)
      result.push({ token: chars[i]! + chars[i + 1]!, isPrefix: false });
  }
  const words = folded.replace(CJK, ' ').match(WORD) ?? [];
  words.forEach((word, index) =>
    result.push({ token: word.slice(0, MAX_TOKEN_LENGTH), isPrefix: index === words.length - 1 }),
  );
  const unique = [...new Map(result.map((t) => [`${t.token}:${t.isPrefix}`, t])).values()];
  return unique.slice(0, maxTokens);
}

/**
 * A 64-bit Bloom filter of tokens: two bits per token, from its CRC-32 (as MariaDB's CRC32()
 * computes it over UTF-8, which migration 019 uses for rows written before it). A row's bits
 * lacking any bit of a token's proves the row lacks the token; having them all proves nothing.
 */
export function tokenBits(tokens: Iterable<string>): bigint {
  let bits = 0n;
  for (const token of tokens) {
    const hash = crc32(Buffer.from(token, 'utf8'));
    bits |= (1n << BigInt(hash & 63)) | (1n << BigInt((hash >>> 6) & 63));
  }
  return bits;
}
