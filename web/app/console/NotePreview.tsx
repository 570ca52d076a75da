import { useTranslation } from 'react-i18next';
import type { components } from '../api/schema';
import { LANGUAGES } from '../i18n/languages';
import { LocalTime } from '../format/LocalTime';
import { CONSOLE_NS } from './i18n';

type Note = components['schemas']['Note'];

function languageName(tag: string, locale: string): string {
  const ours = LANGUAGES.find((language) => language.code === tag);
  if (ours) return ours.name;
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** A held note laid out as the note page will show it to members once published. */
export function NotePreview({ note, headingId }: { note: Note; headingId: string }) {
  const { t, i18n } = useTranslation(CONSOLE_NS);
  return (
    <div className="note-preview">
      <h2 id={headingId} lang={note.languages[0]}>
        {note.title}
      </h2>
      <p className="card-meta">
        {note.authorName ?? t('ops.moderation.someone')} · <LocalTime iso={note.createdAt} />
      </p>
      {note.media.length > 0 ? (
        <div className="note-images">
          {note.media.map((photo, index) => (
            <img
              key={photo.id}
              src={photo.variants.medium}
              alt={t('ops.moderation.photo', { index: index + 1, title: note.title })}
              width={photo.width}
              height={photo.height}
              loading="lazy"
            />
          ))}
        </div>
      ) : null}
      <p className="note-body" lang={note.languages[0]}>
        {note.body}
      </p>
      <dl className="facts">
        <dt>{t('ops.moderation.writtenIn')}</dt>
        <dd>{note.languages.map((tag) => languageName(tag, i18n.language)).join(', ')}</dd>
        {note.cultureTags.length > 0 ? (
          <>
            <dt>{t('ops.moderation.tags')}</dt>
            <dd>
              <ul className="tag-list">
                {note.cultureTags.map((name) => (
                  <li key={name}>
                    <span className="badge">#{name}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}
