import type { Migration } from '../migrator';

/**
 * The postings of a token by category, newest first: a search with a category walks only the
 * postings of listings in it, in the order it answers in, instead of every posting of the
 * token (of which a category holds an eighth or less) checked one by one.
 */
export const listingSearchCategory: Migration = {
  name: '020-listing-search-category',
  async up({ context: sql }) {
    await sql.query(
      'ALTER TABLE listing_search_tokens ADD KEY listing_search_tokens_category (token, category, listing_id)',
    );
  },
  async down({ context: sql }) {
    await sql.query('ALTER TABLE listing_search_tokens DROP KEY listing_search_tokens_category');
  },
};
