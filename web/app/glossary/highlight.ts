/** Scripts written without spaces between words: their terms are found anywhere in a run. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]/u;
/** What a term is made of; spaces, punctuation and symbols between its letters are ignored. */
const KEPT = /[\p{L}\p{N}\p{M}]/u;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

export type Segment = { text: string; term?: undefined } | { text: string; term: string };

/**
 * The same text whatever its width, case or invisible code points (`ＥＭＯ` is `emo`), as the
 * API's term matcher folds it (src/glossary/term-key.ts): the API lists which terms a note
 * contains, this finds where, to mark them, so both must read a text alike.
 */
function fold(text: string): string {
  return text.replace(IGNORABLE, '').normalize('NFKC').toLocaleLowerCase('und');
}

/** One kept character of the folded text, with the span of the original text it came from. */
interface FoldedChar {
  ch: string;
  start: number;
  end: number;
  /** Something was left out just before it (a space, punctuation): a word boundary. */
  gapBefore: boolean;
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * The text folded a user-perceived character at a time, so every folded character still knows
 * where it was written (`ｶﾞ` folds to `ガ` within its own cluster; `㍿` to four characters).
 */
function foldedChars(text: string): FoldedChar[] {
  const chars: FoldedChar[] = [];
  let gap = false;
  for (const { segment, index } of graphemes.segment(text)) {
    for (const ch of fold(segment)) {
      if (!KEPT.test(ch)) {
        gap = true;
        continue;
      }
      chars.push({ ch, start: index, end: index + segment.length, gapBefore: gap });
      gap = false;
    }
  }
  return chars;
}

/** A term's kept characters, folded: `躺 平` and `躺·平` are `躺平`, `Lying-Flat` `lyingflat`. */
function termKey(term: string): string[] {
  return [...fold(term)].filter((ch) => KEPT.test(ch));
}

/** True between two words: at an edge, at a left-out character, or beside an unspaced script. */
function isBoundary(chars: FoldedChar[], at: number): boolean {
  if (at <= 0 || at >= chars.length) return true;
  return chars[at]!.gapBefore || UNSPACED.test(chars[at - 1]!.ch) || UNSPACED.test(chars[at]!.ch);
}

function matchesAt(chars: FoldedChar[], at: number, key: string[]): boolean {
  const end = at + key.length;
  if (end > chars.length) return false;
  if (!key.every((ch, k) => chars[at + k]!.ch === ch)) return false;
  // A term in a spaced script only as a whole word (`ok` is not found in `book`).
  if (!UNSPACED.test(key[0]!) && !isBoundary(chars, at)) return false;
  return UNSPACED.test(key[key.length - 1]!) || isBoundary(chars, end);
}

/**
 * The text cut into plain runs and the places where a term is written, in any width or case,
 * with spaces or punctuation between its letters (longest term first where several start).
 */
export function segmentText(text: string, terms: readonly string[]): Segment[] {
  const keys = terms
    .map((term) => ({ term, key: termKey(term) }))
    .filter((entry) => entry.key.length > 0)
    .sort((a, b) => b.key.length - a.key.length);
  if (keys.length === 0 || text === '') return text === '' ? [] : [{ text }];
  const chars = foldedChars(text);
  const segments: Segment[] = [];
  let last = 0;
  for (let i = 0; i < chars.length; i += 1) {
    if (chars[i]!.start < last) continue;
    const found = keys.find(({ key }) => matchesAt(chars, i, key));
    if (!found) continue;
    const start = chars[i]!.start;
    const end = chars[i + found.key.length - 1]!.end;
    if (start > last) segments.push({ text: text.slice(last, start) });
    segments.push({ text: text.slice(start, end), term: found.term });
    last = end;
    i += found.key.length - 1;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}
