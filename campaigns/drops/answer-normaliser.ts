import { createHmac, timingSafeEqual } from 'node:crypto';
import { removeDefaultIgnorables } from '../../src/text/ignorable';

/** Combining diacritics of Latin, Greek and Cyrillic; Japanese (semi-)voiced marks are kept. */
// Ranges of combining marks on purpose: they are what is being removed.
// eslint-disable-next-line no-misleading-character-class
const DIACRITICS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
/**
 * Everything but letters, digits, marks that belong to a letter and emoji (pictographs and
 * flag letters): spaces, punctuation, symbols and skin-tone modifiers. Pictographs that are also
 * punctuation (〽) go with the punctuation.
 */
const NOT_KEPT = /[^\p{L}\p{N}\p{M}\p{Extended_Pictographic}\p{Regional_Indicator}]|\p{P}/gu;

/**
 * The form answers are compared in: invisible code points dropped (src/text/ignorable.ts),
 * Unicode NFKC (full-width = half-width, ligatures split), accents removed, case folded, spaces
 * and punctuation ignored. "Café au lait!" and "CAFEAULAIT" are the same answer; か and が stay
 * different. Emoji are answers like letters: `🗻` matches `🗻` (or `🗻️`) only. An answer made
 * only of what is ignored normalises to "", which never matches (and is refused when a drop is
 * written).
 */
export function normaliseAnswer(answer: string): string {
  return removeDefaultIgnorables(answer)
    .normalize('NFKC')
    .normalize('NFD')
    .replace(DIACRITICS, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ς/g, 'σ')
    .replace(NOT_KEPT, '')
    .normalize('NFC');
}

/** True when the answer has something left to compare once normalised. */
export function isAnswerable(answer: string): boolean {
  return normaliseAnswer(answer).length > 0;
}

/** A keyed hash of the normalised answer; the plain answer is never stored. */
export function hashAnswer(answer: string, salt: string): string {
  return createHmac('sha256', salt).update(normaliseAnswer(answer)).digest('hex');
}

/**
 * Compares against every accepted answer in constant time, whatever matches. An attempt that
 * normalises to nothing never matches, even a drop stored before empty answers were refused.
 */
export function matchesAnswer(
  answer: string,
  salt: string,
  acceptedHashes: readonly string[],
): boolean {
  const candidate = Buffer.from(hashAnswer(answer, salt), 'hex');
  let matched = false;
  for (const accepted of acceptedHashes) {
    const expected = Buffer.from(accepted, 'hex');
    if (expected.length === candidate.length && timingSafeEqual(expected, candidate))
      matched = true;
  }
  return matched && isAnswerable(answer);
}
