import { queryTokens } from './search-tokens';

/** What `q` asks for: tokens a row must have, and sets of which it must have one. */
export interface SearchPlan {
  exact: string[];
  anyOf: string[][];
  /** Short prefixes with too many whole tokens to list. */
  prefixes: string[];
}

/** The questions a plan asks of one inverted index (tokens table and its vocabulary). */
export interface TokenIndex {
  /** Whole tokens that start with `prefix`, up to `limit`. */
  expandPrefix(prefix: string, limit: number): Promise<string[]>;
  /** How many rows carry a token, counted up to `cap`. */
  postings(token: string, cap: number): Promise<number>;
}

/** A prefix matching more whole tokens than this is checked with LIKE on each candidate instead. */
const MAX_PREFIX_TERMS = 50;
/** Posting counts above this are all "common" when choosing which token to walk. */
const RAREST_CAP = 1000;

/**
 * Turns `q` into whole tokens: a prefix ("bo" of "matcha bo") becomes the known tokens that
 * start with it, and the rarest exact token comes first (the walk follows its postings). Null
 * when nothing can match: a prefix or token no row has, or a `q` with no letter or digit to
 * search by (`!!!`): punctuation alone finds nothing, not everything.
 */
export async function planSearch(q: string, index: TokenIndex): Promise<SearchPlan | null> {
  const plan: SearchPlan = { exact: [], anyOf: [], prefixes: [] };
  const tokens = queryTokens(q);
  if (tokens.length === 0 && q.trim() !== '') return null;
  for (const { token, isPrefix } of tokens) {
    if (!isPrefix) {
      plan.exact.push(token);
      continue;
    }
    const terms = await index.expandPrefix(token, MAX_PREFIX_TERMS + 1);
    if (terms.length === 0) return null;
    if (terms.length === 1) plan.exact.push(terms[0]!);
    else if (terms.length <= MAX_PREFIX_TERMS) plan.anyOf.push(terms);
    else plan.prefixes.push(token);
  }
  if (plan.exact.length > 1) {
    const counts = await Promise.all(plan.exact.map((t) => index.postings(t, RAREST_CAP)));
    if (counts.includes(0)) return null;
    plan.exact = plan.exact
      .map((token, i) => ({ token, n: counts[i]! }))
      .sort((a, b) => a.n - b.n)
      .map((t) => t.token);
  }
  return plan;
}

/** `prefix%` for LIKE ... ESCAPE '!'. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[!%_]/g, '!$&')}%`;
}
