/**
 * A text given per language (`{en: …, ja: …}`) in the viewer's language, else the same language
 * in another variant (zh for zh-Hans, pt for pt-BR), else English, else any: with the language
 * it is actually in, for `lang=` on the element.
 */
export function pickText(
  texts: Record<string, string>,
  language: string,
): { text: string; language: string } | undefined {
  const keys = Object.keys(texts);
  const primary = language.split('-')[0]?.toLowerCase();
  const chosen =
    keys.find((key) => key.toLowerCase() === language.toLowerCase()) ??
    keys.find((key) => key.split('-')[0]?.toLowerCase() === primary) ??
    keys.find((key) => key.split('-')[0]?.toLowerCase() === 'en') ??
    keys[0];
  return chosen === undefined ? undefined : { text: texts[chosen] ?? '', language: chosen };
}
