import { removeDefaultIgnorables } from '../text/ignorable';

/**
 * Tags match whatever their width or case: `Matsuri`, `ＭＡＴＳＵＲＩ` and `matsuri` are one tag,
 * and invisible code points do not make another one (`poli\u200btics` is `politics`).
 */
export function normaliseTag(tag: string): string {
  return removeDefaultIgnorables(tag)
    .normalize('NFKC')
    .trim()
    .replace(/\s+/g, ' ')
    .toLocaleLowerCase('und');
}

/** Two or more languages, or any culture tag, make a note cross-cultural (API.md). */
export function isCrossCultural(languages: readonly string[], cultureTags: readonly string[]) {
  return new Set(languages.map((l) => l.toLowerCase())).size >= 2 || cultureTags.length > 0;
}

export interface ModerationPolicy {
  /** ISO 3166-1 alpha-2, upper case. */
  countries: readonly string[];
  /** Normalised with normaliseTag. */
  tags: readonly string[];
}

/** The cultural buffer: these notes wait for a moderator before anyone sees them or earns. */
export function needsReview(
  policy: ModerationPolicy,
  authorCountry: string,
  cultureTags: readonly string[],
): boolean {
  return (
    policy.countries.includes(authorCountry.toUpperCase()) ||
    cultureTags.some((tag) => policy.tags.includes(normaliseTag(tag)))
  );
}
