/** Scripts written without spaces between words: their terms are found anywhere in a run. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]/u;
const KEPT = /[\p{L}\p{N}\p{M}]/u;

export type Segment = { text: string; term?: undefined } | { text: string; term: string };

function escape(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The pattern of one term as it may be written in a text: its letters, with spaces or
 * punctuation allowed between them (`躺 平`), in any case; a term in a spaced script only as a
 * whole word (`ok` is not found in `book`). The API lists which terms a note contains; this
 * only finds where, to mark them.
 */
function termPattern(term: string): string | null {
  const chars = [...term.normalize('NFKC')].filter((ch) => KEPT.test(ch));
  if (chars.length === 0) return null;
  const body = chars.map(escape).join('[\\s\\p{P}\\p{Cf}]*');
  const start = UNSPACED.test(chars[0]!) ? '' : '(?<![\\p{L}\\p{N}])';
  const end = UNSPACED.test(chars[chars.length - 1]!) ? '' : '(?![\\p{L}\\p{N}])';
  return `${start}${body}${end}`;
}

/** The text cut into plain runs and the places where a term is written (longest terms first). */
export function segmentText(text: string, terms: readonly string[]): Segment[] {
  const patterns = [...terms]
    .sort((a, b) => b.length - a.length)
    .map((term) => ({ term, pattern: termPattern(term) }))
    .filter((p): p is { term: string; pattern: string } => p.pattern !== null);
  if (patterns.length === 0) return [{ text }];
  const matcher = new RegExp(patterns.map((p) => `(${p.pattern})`).join('|'), 'giu');
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(matcher)) {
    const index = match.index;
    if (match[0].length === 0) continue;
    if (index > last) segments.push({ text: text.slice(last, index) });
    const group = match.slice(1).findIndex((value) => value !== undefined);
    segments.push({ text: match[0], term: patterns[group]!.term });
    last = index + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}
