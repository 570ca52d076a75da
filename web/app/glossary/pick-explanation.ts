/** The primary subtag, lower case: `pt-BR` and `pt` are one language to a reader. */
function primary(tag: string): string {
  return tag.split('-')[0]!.toLowerCase();
}

/**
 * Explanations in the viewer's language first (the exact tag before its other regions), each
 * group in the API's order (most votes first).
 */
export function viewerLanguageFirst<T extends { language: string }>(
  explanations: readonly T[],
  viewerLanguage: string,
): T[] {
  const rank = (e: T) =>
    e.language.toLowerCase() === viewerLanguage.toLowerCase()
      ? 0
      : primary(e.language) === primary(viewerLanguage)
        ? 1
        : 2;
  return explanations
    .map((explanation, index) => ({ explanation, index }))
    .sort((a, b) => rank(a.explanation) - rank(b.explanation) || a.index - b.index)
    .map(({ explanation }) => explanation);
}
