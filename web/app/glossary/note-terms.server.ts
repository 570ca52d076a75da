import type { ApiClient } from '../api/client.server';
import type { NoteTerm } from './GlossaryText';
import { viewerLanguageFirst } from './pick-explanation';

/** The glossary terms a note lists, each with its best explanation for the viewer's language. */
export async function noteTerms(
  client: ApiClient,
  terms: ReadonlyArray<{ term: string; language: string }>,
  viewerLanguage: string,
): Promise<NoteTerm[]> {
  const found = await Promise.all(
    terms.slice(0, 12).map(async ({ term, language }) => {
      const { data } = await client.GET('/v1/glossary/terms/{term}', {
        params: { path: { term } },
      });
      const published = (data?.explanations ?? []).filter((e) => e.status === 'published');
      const best = viewerLanguageFirst(published, viewerLanguage)[0];
      return {
        term,
        language,
        explanationCount: data?.explanationCount ?? 0,
        explanation: best
          ? { text: best.text, language: best.language, authorName: best.authorName }
          : null,
      };
    }),
  );
  return found;
}
