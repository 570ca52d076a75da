import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { components } from '../api/schema';
import { LocalTime } from '../format/LocalTime';
import { summary } from '../format/share';
import { CultureTags } from './CultureTags';

type Note = components['schemas']['Note'];

/** A note in a list (notes, search results, the feed): thumbnail, title, summary and tags. */
export function NoteRow({ note }: { note: Note }) {
  const { t } = useTranslation();
  const thumb = note.media[0]?.variants.thumb;
  return (
    <li className={`row-card${thumb ? '' : ' no-thumb'}`} data-note-id={note.id}>
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
        {note.status !== 'published' ? (
          // Only its author finds a note still under review (a search of theirs).
          <span className="card-meta">{t(`notes.status.${note.status}`)}</span>
        ) : null}
        {note.cultureTags.length > 0 ? (
          <CultureTags tags={note.cultureTags} label={t('notes.tags')} />
        ) : null}
      </div>
    </li>
  );
}
