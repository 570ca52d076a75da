import { useTranslation } from 'react-i18next';
import { Form, Link, useLoaderData, type LoaderFunctionArgs, type MetaArgs } from 'react-router';
import { apiFor } from '../api/client.server';
import { metaTranslator } from '../i18n/meta';
import { NoteRow } from '../notes/NoteRow';
import { toolsLinks } from '../tools/links';
import { unavailableIf } from '../api/unavailable';

export const links = toolsLinks;

/** What the API takes as `q` (src/notes/notes.schema.ts). */
const MAX_QUERY = 200;

/**
 * Published notes, newest first; `?tag=` narrows to one culture tag, `?q=` to the notes whose
 * title or body has these words (any language, CJK included; signed in, your own under review).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  const search = new URL(request.url).searchParams;
  const tag = search.get('tag') ?? undefined;
  const q = (search.get('q') ?? '').trim().slice(0, MAX_QUERY);
  const cursor = search.get('cursor') ?? undefined;
  const { data, response } = await api.client.GET('/v1/notes', {
    params: {
      query: {
        limit: 20,
        ...(q ? { q } : {}),
        ...(tag ? { tag } : {}),
        ...(cursor ? { cursor } : {}),
      },
    },
  });
  return unavailableIf([response], {
    q,
    tag: tag ?? null,
    notes: data?.data ?? [],
    nextCursor: data?.nextCursor ?? null,
    failed: !data,
    signedIn: api.token !== null,
  });
}

export function meta({ matches, loaderData }: MetaArgs<typeof loader>) {
  const t = metaTranslator(matches);
  const q = loaderData?.q;
  return [
    { title: `${q ? t('notes.searchTitle', { q }) : t('notes.title')} · cyberstall` },
    { name: 'description', content: t('notes.description') },
  ];
}

/** The next page's address: the same search and tag, from the cursor on. */
function nextPage(q: string, tag: string | null, cursor: string): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (tag) params.set('tag', tag);
  params.set('cursor', cursor);
  return `?${params.toString()}`;
}

export default function NotesFeed() {
  const { q, tag, notes, nextCursor, failed } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const heading = q
    ? t('notes.searchTitle', { q })
    : tag
      ? t('notes.tagTitle', { tag })
      : t('notes.title');
  return (
    <section>
      <div className="page-head">
        <h1>{heading}</h1>
        <Link to="/notes/new" className="button primary">
          {t('notes.write')}
        </Link>
      </div>
      <p className="hint">{t('notes.description')}</p>
      {/* A plain GET form: the search is in the address, and works before any script runs. */}
      <Form method="get" action="/notes" role="search" className="glossary-search">
        <label htmlFor="notes-q">{tag ? t('notes.searchInTag', { tag }) : t('notes.search')}</label>
        <input
          id="notes-q"
          name="q"
          type="search"
          defaultValue={q}
          maxLength={MAX_QUERY}
          // Remounted per query, so the box shows the search the page answers (defaultValue is read once).
          key={q}
        />
        {tag ? <input type="hidden" name="tag" value={tag} /> : null}
        <button type="submit" className="button">
          {t('notes.searchButton')}
        </button>
      </Form>
      {tag || q ? (
        <p>
          <Link to="/notes">{t('notes.allNotes')}</Link>
        </p>
      ) : null}
      {failed ? (
        <p className="notice error" role="alert">
          {t('notes.unavailable')}
        </p>
      ) : notes.length === 0 ? (
        <p className="notice" role="status">
          {q ? t('notes.noMatch', { q }) : t('notes.empty')}
        </p>
      ) : (
        <ul className="row-list">
          {notes.map((note) => (
            <NoteRow key={note.id} note={note} />
          ))}
        </ul>
      )}
      {nextCursor ? (
        <p className="more">
          <Link className="button" to={nextPage(q, tag, nextCursor)}>
            {t('notes.more')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
