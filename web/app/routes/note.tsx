import { useTranslation } from 'react-i18next';
import { Link, useLoaderData, type LoaderFunctionArgs, type MetaArgs } from 'react-router';
import { apiFor, failure } from '../api/client.server';
import { LocalTime } from '../format/LocalTime';
import { absoluteUrl, summary } from '../format/share';
import { GlossaryText, termPath, useOpenTerm } from '../glossary/GlossaryText';
import { noteTerms } from '../glossary/note-terms.server';
import { metaTranslator } from '../i18n/meta';
import { languageOf } from '../i18n/preferences.server';
import { LANGUAGES } from '../i18n/languages';
import { toolsLinks } from '../tools/links';
import { linkedListings } from '../notes/linked-listings.server';
import { CultureTags } from '../notes/CultureTags';
import { NoteListings } from '../notes/NoteListings';

export const links = toolsLinks;

/** One note, rendered on the server with what a shared link's preview needs. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  const {
    data: note,
    error,
    response,
  } = await api.client.GET('/v1/notes/{id}', { params: { path: { id: params.id ?? '' } } });
  // A note under review is its author's only: to anyone else it does not exist.
  if (!note) throw failure(response.status === 403 ? 404 : response.status, error);
  const viewer = api.token ? (await api.client.GET('/v1/me')).data : undefined;
  const image = note.media[0]?.variants.medium ?? note.images[0];
  return {
    note,
    terms: await noteTerms(api.client, note.glossaryTerms, await languageOf(request)),
    listings: await linkedListings(api.client, note.listingIds),
    isAuthor: viewer?.id === note.authorId,
    share: {
      url: absoluteUrl(`/notes/${note.id}`, request, api.server),
      image: image ? absoluteUrl(image, request, api.server) : null,
    },
  };
}

export function meta({ matches, loaderData }: MetaArgs<typeof loader>) {
  const t = metaTranslator(matches);
  if (!loaderData) return [{ title: `${t('notFound.title')} · cyberstall` }];
  const { note, share } = loaderData;
  const description = summary(note.body);
  return [
    { title: `${note.title} · cyberstall` },
    { name: 'description', content: description },
    { property: 'og:type', content: 'article' },
    { property: 'og:site_name', content: 'cyberstall' },
    { property: 'og:title', content: note.title },
    { property: 'og:description', content: description },
    { property: 'og:url', content: share.url },
    ...(share.image ? [{ property: 'og:image', content: share.image }] : []),
    ...(note.publishedAt
      ? [{ property: 'article:published_time', content: note.publishedAt }]
      : []),
    { tagName: 'link', rel: 'canonical', href: share.url },
  ];
}

function languageName(tag: string, locale: string): string {
  const ours = LANGUAGES.find((language) => language.code === tag);
  if (ours) return ours.name;
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export default function NotePage() {
  const { note, isAuthor, terms, listings } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const [openTerm, setOpenTerm] = useOpenTerm();
  const glossary = { terms, open: openTerm, onOpen: setOpenTerm };
  return (
    <article className="narrow-article" lang={note.languages[0]}>
      <GlossaryText as="h1" place="title" text={note.title} {...glossary} />
      <p className="card-meta" lang={i18n.language}>
        <Link to={`/stalls/${note.authorId}`}>{note.authorName ?? t('notes.someone')}</Link> ·{' '}
        <LocalTime iso={note.publishedAt ?? note.createdAt} /> ·{' '}
        {t('notes.likes', { count: note.likeCount })}
      </p>
      {note.status !== 'published' ? (
        <p className="notice" role="status" lang={i18n.language}>
          {t(`notes.status.${note.status}`)}
          {note.rejectReason ? ` ${note.rejectReason}` : ''}
        </p>
      ) : null}
      {note.media.length > 0 ? (
        <div className="note-images">
          {note.media.map((photo, index) => (
            <a key={photo.id} href={photo.variants.full}>
              <img
                src={photo.variants.medium}
                alt={t('notes.photo', { index: index + 1, title: note.title })}
                width={photo.width}
                height={photo.height}
                loading={index === 0 ? undefined : 'lazy'}
              />
            </a>
          ))}
        </div>
      ) : null}
      <GlossaryText text={note.body} {...glossary} />
      <NoteListings noteId={note.id} listings={listings} />
      <dl className="facts" lang={i18n.language}>
        <dt>{t('notes.writtenIn')}</dt>
        <dd>{note.languages.map((tag) => languageName(tag, i18n.language)).join(', ')}</dd>
        {note.cultureTags.length > 0 ? (
          <>
            <dt>{t('notes.tags')}</dt>
            <dd>
              <CultureTags tags={note.cultureTags} />
            </dd>
          </>
        ) : null}
        {terms.length > 0 ? (
          <>
            <dt>{t('glossary.inThisNote')}</dt>
            <dd>
              <ul className="tag-list">
                {terms.map(({ term, language }) => (
                  <li key={term}>
                    <Link className="badge" to={termPath(term)} lang={language}>
                      {term}
                    </Link>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {note.writtenAt ? (
          <>
            <dt>{t('notes.writtenAt')}</dt>
            <dd>
              <LocalTime iso={note.writtenAt} />
            </dd>
          </>
        ) : null}
      </dl>
      <p lang={i18n.language}>
        {isAuthor && note.status !== 'deleted' && note.status !== 'rejected' ? (
          <>
            <Link to={`/notes/new?edit=${note.id}`}>{t('notes.edit')}</Link> ·{' '}
          </>
        ) : null}
        <Link to="/notes">{t('notes.allNotes')}</Link>
      </p>
    </article>
  );
}
