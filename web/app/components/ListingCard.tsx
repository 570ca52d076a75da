import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { components } from '../api/schema';
import { formatMoney } from '../format/money';
import { listingPhotos } from '../format/images';

export type Listing = components['schemas']['Listing'];

/**
 * A listing with its price already formatted by the page's loader: the browser then builds no
 * Intl.NumberFormat while hydrating (several ms per currency on a phone's CPU).
 */
export type PricedListing = Listing & { priceText?: string };

/** `to`: where the card leads, the listing's page by default (a note's card carries the note). */
export function ListingCard({ listing, to }: { listing: PricedListing; to?: string }) {
  const { t, i18n } = useTranslation();
  const image = listingPhotos(listing)[0]?.thumb;
  return (
    <li className="card">
      <Link to={to ?? `/listings/${listing.id}`} className="card-link">
        {image ? (
          <img src={image} alt="" width={320} height={240} loading="lazy" decoding="async" />
        ) : (
          <span className="card-placeholder" aria-hidden="true">
            {listing.title.slice(0, 1)}
          </span>
        )}
        <span className="card-title">{listing.title}</span>
      </Link>
      <span className="card-price">
        {listing.priceText ?? formatMoney(listing.priceAmount, listing.currency, i18n.language)}
      </span>
      <span className="card-meta">
        {t(`condition.${listing.condition}`)} · {listing.sellerName}
      </span>
    </li>
  );
}
