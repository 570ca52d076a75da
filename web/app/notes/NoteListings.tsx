import { useTranslation } from 'react-i18next';
import { ListingCard, type Listing } from '../components/ListingCard';

/** The listings a note links; each card carries the note, so buying it credits the note. */
export function NoteListings({ noteId, listings }: { noteId: string; listings: Listing[] }) {
  const { t, i18n } = useTranslation();
  if (listings.length === 0) return null;
  return (
    <section className="note-listings" aria-labelledby="note-listings-title" lang={i18n.language}>
      <h2 id="note-listings-title">{t('notes.linkedListings')}</h2>
      <ul className="cards">
        {listings.map((listing) => (
          <ListingCard
            key={listing.id}
            listing={listing}
            to={`/listings/${listing.id}?note=${noteId}`}
          />
        ))}
      </ul>
    </section>
  );
}
