import type { Migration } from '../migrator';

/**
 * Each search posting carries `token_bits`, a 64-bit Bloom filter of all its listing's tokens
 * (two bits per token, from its CRC-32: src/search/search-tokens.ts `tokenBits` computes the
 * same). A search of several words walks one word's postings and skips, on the posting
 * itself, most listings that lack the others; only the rest are looked up in the index.
 */
export const listingSearchTokenBits: Migration = {
  name: '019-listing-search-token-bits',
  async up({ context: sql }) {
    await sql.query(
      'ALTER TABLE listing_search_tokens ADD COLUMN token_bits BIGINT UNSIGNED NOT NULL DEFAULT 0',
    );
    await sql.query(`UPDATE listing_search_tokens t JOIN (
        SELECT listing_id, BIT_OR((1 << (CRC32(token) & 63)) | (1 << ((CRC32(token) >> 6) & 63))) AS bits
          FROM listing_search_tokens GROUP BY listing_id) b ON b.listing_id = t.listing_id
      SET t.token_bits = b.bits`);
    // No default from now on: a posting written without its listing's bits is refused.
    await sql.query('ALTER TABLE listing_search_tokens ALTER COLUMN token_bits DROP DEFAULT');
  },
  async down({ context: sql }) {
    await sql.query('ALTER TABLE listing_search_tokens DROP COLUMN token_bits');
  },
};
