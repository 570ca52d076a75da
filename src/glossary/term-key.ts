import { removeDefaultIgnorables } from '../text/ignorable';

/** Scripts written without spaces between words: a term in them matches anywhere in a run. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]/u;
/** What a term is made of; spaces, punctuation and symbols between its letters are ignored. */
const KEPT = /[\p{L}\p{N}\p{M}]/u;

/** The same text whatever its width, case or invisible code points (`ＹＹＤＳ` is `yyds`). */
function fold(text: string): string {
  return removeDefaultIgnorables(text).normalize('NFKC').toLocaleLowerCase('und');
}

/**
 * How a term is matched and kept unique: folded, and only its letters, digits and marks, so
 * `躺平`, `躺 平` and `躺·平` are one term, as are `lying flat` and `lying-flat`.
 */
export function termKey(term: string): string {
  return [...fold(term)].filter((ch) => KEPT.test(ch)).join('');
}

export function isUnspaced(ch: string): boolean {
  return UNSPACED.test(ch);
}

/**
 * A text as terms are looked for in it: its kept characters (code points) and, for each, whether
 * something was left out just before it (a space, punctuation: a word boundary).
 */
export interface CompactText {
  chars: string[];
  gapBefore: boolean[];
}

export function compactText(text: string): CompactText {
  const chars: string[] = [];
  const gapBefore: boolean[] = [];
  let gap = false;
  for (const ch of fold(text)) {
    if (KEPT.test(ch)) {
      chars.push(ch);
      gapBefore.push(gap);
      gap = false;
    } else gap = true;
  }
  return { chars, gapBefore };
}
