/**
 * Unicode's Default_Ignorable_Code_Point set (zero-width space and joiners, soft hyphen, word
 * joiner, BOM, bidi controls, variation selectors, Hangul fillers, tag characters...): code
 * points a renderer shows as nothing, so `poli\u200btics` looks like `politics`. Text compared
 * for meaning (moderated tags, glossary terms, riddle answers) drops them first, as UTS #39
 * skeletons and IDNA mapping do.
 *
 * One exception: an emoji tag sequence (U+1F3F4 and tag characters up to CANCEL TAG) is a
 * subdivision flag (Scotland, Wales); dropping its tags would make every such flag the plain
 * black flag, so those sequences are kept whole.
 */
const IGNORABLE_OR_FLAG =
  /(\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F})|\p{Default_Ignorable_Code_Point}/gu;

export function removeDefaultIgnorables(text: string): string {
  return text.replace(IGNORABLE_OR_FLAG, (_match, flag: string | undefined) => flag ?? '');
}

/** True when something would show: not only spaces, controls and invisible code points. */
export function hasVisibleCharacter(text: string): boolean {
  return removeDefaultIgnorables(text).replace(/[\s\p{Cc}]/gu, '').length > 0;
}
