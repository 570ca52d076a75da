import { useTranslation } from 'react-i18next';
import { Link, useLoaderData, type LoaderFunctionArgs, type MetaArgs } from 'react-router';
import { apiFor } from '../api/client.server';
import { LocalTime } from '../format/LocalTime';
import { summary } from '../format/share';
import { metaTranslator } from '../i18n/meta';
import { toolsLinks } from '../tools/links';

export const links = toolsLinks;

/** Published notes, newest first; `?tag=` narrows to one culture tag. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  const search = new URL(request.url).searchParams;
  const tag = search.get('tag') ?? undefined;
  const cursor = search.get('cursor') ?? undefined;
  const { data } = await api.client.GET('/v1/notes', {
    params: { query: { limit: 20, ...(tag ? { tag } : {}), ...(cursor ? { cursor } : {}) } },
  });
  return {
    tag: tag ?? null,
    notes: data?.data ?? [],
    nextCursor: data?.nextCursor ?? null,
    failed: !data,
    signedIn: api.token !== null,
  };
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [
    { title: `${t('notes.title')} · cyberstall` },
    { name: 'description', content: t('notes.description') },
  ];
}

export default function NotesFeed() {
  const { tag, notes, nextCursor, failed } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section>
      <div className="page-head">
        <h1>{tag ? t('notes.tagTitle', { tag }) : t('notes.title')}</h1>
        <Link to="/notes/new" className="button primary">
          {t('notes.write')}
        </Link>
      </div>
      <p className="hint">{t('notes.description')}</p>
      {tag ? (
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
          {t('notes.empty')}
        </p>
      ) : (
        <ul className="row-list">
          {notes.map((note) => {
            const thumb = note.media[0]?.variants.thumb;
            return (
              <li key={note.id} className={`row-card${thumb ? '' : ' no-thumb'}`}>
                {thumb ? <img src={thumb} alt="" width={80} height={80} loading="lazy" /> : null}
                <div className="row-body">
                  <Link to={`/notes/${note.id}`} className="card-title" lang={note.languages[0]}>
                    {note.title}
                  </Link>
                  <span lang={note.languages[0]}>{summary(note.body, 140)}</span>
                  <span className="card-meta">
                    {note.authorName ?? t('notes.someone')} ·{' '}
                    <LocalTime iso={note.publishedAt ?? note.createdAt} /> ·{' '}
                    {t('notes.likes', { count: note.likeCount })}
                  </span>
                  {note.cultureTags.length > 0 ? (
                    <ul className="tag-list" aria-label={t('notes.tags')}>
                      {note.cultureTags.map((name) => (
                        <li key={name}>
                          <Link className="badge" to={`/notes?tag=${encodeURIComponent(name)}`}>
                            #{name}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {nextCursor ? (
        <p className="more">
          <Link
            className="button"
            to={`?${tag ? `tag=${encodeURIComponent(tag)}&` : ''}cursor=${encodeURIComponent(nextCursor)}`}
          >
            {t('notes.more')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
