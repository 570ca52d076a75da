import { compactText, isUnspaced, termKey, type CompactText } from './term-key';

export interface MatchableTerm {
  term: string;
  language: string;
}

/**
 * Finds which terms a text contains. Terms in unspaced scripts (Han, Kana, Hangul) match anywhere,
 * as those scripts have no word boundaries; an end of a term in a spaced script must meet a
 * boundary (a space, punctuation, the text's edge or an unspaced script), so `ok` is not found
 * in `book`. Terms are indexed by their first character: a text is read once.
 */
export class TermMatcher<T extends MatchableTerm> {
  private readonly byFirst = new Map<string, Array<{ chars: string[]; term: T }>>();

  constructor(terms: readonly T[]) {
    for (const term of terms) {
      const chars = [...termKey(term.term)];
      const first = chars[0];
      if (first === undefined) continue;
      const list = this.byFirst.get(first) ?? [];
      list.push({ chars, term });
      this.byFirst.set(first, list);
    }
  }

  /** The terms found in the texts, each once, in the order they first occur. */
  find(...texts: string[]): T[] {
    const found = new Set<T>();
    for (const text of texts) this.scan(compactText(text), found);
    return [...found];
  }

  private scan(text: CompactText, found: Set<T>): void {
    const { chars } = text;
    for (let i = 0; i < chars.length; i += 1) {
      for (const candidate of this.byFirst.get(chars[i]!) ?? []) {
        if (found.has(candidate.term)) continue;
        const end = i + candidate.chars.length;
        if (end > chars.length) continue;
        if (!candidate.chars.every((ch, k) => chars[i + k] === ch)) continue;
        if (!isUnspaced(candidate.chars[0]!) && !isBoundary(text, i)) continue;
        if (!isUnspaced(candidate.chars[candidate.chars.length - 1]!) && !isBoundary(text, end))
          continue;
        found.add(candidate.term);
      }
    }
  }
}

/** True between two words: at an edge, at a left-out character, or beside an unspaced script. */
function isBoundary({ chars, gapBefore }: CompactText, at: number): boolean {
  if (at <= 0 || at >= chars.length) return true;
  return gapBefore[at]! || isUnspaced(chars[at - 1]!) || isUnspaced(chars[at]!);
}
