import type { GlossaryTermRef } from '../notes';
import type { GlossaryRepository } from './glossary.repository';
import { TermMatcher } from './term-matcher';

interface NoteText {
  title: string;
  body: string;
}

/**
 * Lists on each note the glossary terms its title and body contain (terms with a published
 * explanation). The terms are kept in memory and read again only when the version row says the
 * set changed, so a page of notes costs one primary-key read.
 */
export class TermsOnNotes {
  private cached: { version: number; matcher: TermMatcher<GlossaryTermRef> } | null = null;

  constructor(private readonly repository: GlossaryRepository) {}

  async annotate<T extends NoteText>(
    notes: T[],
  ): Promise<Array<T & { glossaryTerms: GlossaryTermRef[] }>> {
    const matcher = await this.matcher();
    return notes.map((note) => ({
      ...note,
      glossaryTerms: matcher
        .find(note.title, note.body)
        .map(({ term, language }) => ({ term, language })),
    }));
  }

  async annotateOne<T extends NoteText>(
    note: T,
  ): Promise<T & { glossaryTerms: GlossaryTermRef[] }> {
    return (await this.annotate([note]))[0]!;
  }

  private async matcher(): Promise<TermMatcher<GlossaryTermRef>> {
    const version = await this.repository.listedVersion();
    if (this.cached?.version !== version) {
      const terms = await this.repository.listedTerms();
      this.cached = { version, matcher: new TermMatcher(terms) };
    }
    return this.cached.matcher;
  }
}
