import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { components } from '../api/schema';

type Note = components['schemas']['Note'];

/** The community's notes on the home page: plain links, rendered on the server, no script. */
export function FeedStrip({ notes, mode }: { notes: Note[]; mode: 'random' | 'ranked' }) {
  const { t } = useTranslation();
  if (notes.length === 0) return null;
  return (
    <section className="feed-strip" aria-labelledby="feed-strip-title">
      <h2 id="feed-strip-title">
        {t(mode === 'random' ? 'storefront.feed.friday' : 'storefront.feed.title')}{' '}
        <Link to="/feed" className="feed-all">
          {t('storefront.feed.all')}
        </Link>
      </h2>
      <ul>
        {notes.map((note) => (
          <li key={note.id}>
            <Link to={`/notes/${note.id}`} lang={note.languages[0]}>
              {note.title}
            </Link>
            <span className="card-meta">
              {note.authorName ?? t('notes.someone')} ·{' '}
              {t('notes.likes', { count: note.likeCount })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
