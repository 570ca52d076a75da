import { queryTokens } from './search-tokens';

/** What `q` asks for: tokens a row must have, and sets of which it must have one. */
export interface SearchPlan {
  exact: string[];
  anyOf: string[][];
  /** Short prefixes with too many whole tokens to list. */
  prefixes: string[];
}

/** What a plan needs to know of one inverted index (tokens table and its vocabulary). */
export interface TokenIndex {
  /**
   * In one round trip: the whole tokens that start with `prefix` (up to `limit`; none without
   * a prefix) and, when `depth` > 0, the id of the `depth`-th newest row carrying each of
   * `tokens`, and the prefix's one whole token, or null where fewer rows carry it.
   */
  survey(
    tokens: string[],
    prefix: string | null,
    limit: number,
    depth: number,
  ): Promise<TokenSurvey>;
}

export interface TokenSurvey {
  terms: string[];
  /** For `tokens`, in their order: the `depth`-th newest id or null (empty when not asked). */
  deepIds: Array<string | null>;
  /** The same for the prefix, meaningful when it has exactly one whole token. */
  prefixDeepId: string | null;
}

/** A prefix matching more whole tokens than this is checked with LIKE on each candidate instead. */
const MAX_PREFIX_TERMS = 50;
/**
 * How deep into each token's postings the plan looks to choose which token to walk: deep
 * enough to tell a token's density among the newest rows, and no deeper, since the survey
 * reads this many postings of every token.
 */
const RAREST_DEPTH = 50;

/**
 * Turns `q` into whole tokens: a prefix ("bo" of "matcha bo") becomes the known tokens that
 * start with it, and the rarest exact token comes first (the walk follows its postings). Null
 * when nothing can match: a prefix no row has, or a `q` with no letter or digit to search by
 * (`!!!`): punctuation alone finds nothing, not everything.
 *
 * Rarest means sparsest among the newest rows, where the walk reads: a token fewer than
 * RAREST_DEPTH rows carry comes first, then the one whose RAREST_DEPTH-th newest row is
 * oldest (ids are time-ordered). That is one short index read per token, not a count, and
 * expanding and ranking are one query: each round trip costs more than the reads it does.
 */
export async function planSearch(q: string, index: TokenIndex): Promise<SearchPlan | null> {
  const plan: SearchPlan = { exact: [], anyOf: [], prefixes: [] };
  const tokens = queryTokens(q);
  if (tokens.length === 0 && q.trim() !== '') return null;
  const exact = tokens.filter((t) => !t.isPrefix).map((t) => t.token);
  const prefix = tokens.find((t) => t.isPrefix)?.token ?? null;
  // Ranking only chooses which token to walk, so there must be two to choose from.
  const toRank = exact.length + (prefix === null ? 0 : 1) > 1;
  if (prefix === null && !toRank) return { ...plan, exact };
  const survey = await index.survey(exact, prefix, MAX_PREFIX_TERMS + 1, toRank ? RAREST_DEPTH : 0);
  const ranked = exact.map((token, i) => ({ token, deepId: survey.deepIds[i] ?? null }));
  if (prefix !== null) {
    const { terms } = survey;
    if (terms.length === 0) return null;
    if (terms.length === 1) ranked.push({ token: terms[0]!, deepId: survey.prefixDeepId });
    else if (terms.length <= MAX_PREFIX_TERMS) plan.anyOf.push(terms);
    else plan.prefixes.push(prefix);
  }
  plan.exact = ranked.sort((a, b) => rarer(a.deepId, b.deepId)).map((t) => t.token);
  return plan;
}

/** Sort order of two tokens by their deep ids: null (few rows) first, then the older id. */
function rarer(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** `prefix%` for LIKE ... ESCAPE '!'. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[!%_]/g, '!$&')}%`;
}
