import { useTranslation } from 'react-i18next';
import { Link, useLoaderData, type LoaderFunctionArgs, type MetaArgs } from 'react-router';
import { apiFor, failure } from '../api/client.server';
import { LocalTime } from '../format/LocalTime';
import { countryName } from '../format/countries';
import { listingPhotos } from '../format/images';
import { formatMoney } from '../format/money';
import { absoluteUrl, summary } from '../format/share';
import { metaTranslator } from '../i18n/meta';
import { languageOf } from '../i18n/preferences.server';
import { noteParam } from '../notes/linked-listings.server';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  const {
    data: listing,
    error,
    response,
  } = await api.client.GET('/v1/listings/{id}', {
    params: { path: { id: params.id ?? '' } },
  });
  if (!listing) throw failure(response.status, error);
  const image = listingPhotos(listing)[0]?.medium;
  const language = await languageOf(request);
  return {
    listing,
    // Formatted here: the browser hydrates these strings without building Intl.NumberFormat
    // and Intl.DisplayNames (tens of ms on a phone's CPU, all of it blocking).
    priceText: formatMoney(listing.priceAmount, listing.currency, language),
    shipsToNames: listing.shipsTo.map((code) => countryName(code, language)).join(', '),
    // The note the visitor came from: the order will name it (checked by the API).
    referringNoteId: noteParam(new URL(request.url)) ?? null,
    share: {
      url: absoluteUrl(`/listings/${listing.id}`, request, api.server),
      image: image ? absoluteUrl(image, request, api.server) : null,
    },
  };
}

export function meta({ matches, loaderData }: MetaArgs<typeof loader>) {
  const t = metaTranslator(matches);
  if (!loaderData) return [{ title: `${t('notFound.title')} · cyberstall` }];
  const { listing, share } = loaderData;
  const description = summary(listing.description || listing.title);
  return [
    { title: `${listing.title} · cyberstall` },
    { name: 'description', content: description },
    { property: 'og:type', content: 'product' },
    { property: 'og:site_name', content: 'cyberstall' },
    { property: 'og:title', content: listing.title },
    { property: 'og:description', content: description },
    { property: 'og:url', content: share.url },
    ...(share.image ? [{ property: 'og:image', content: share.image }] : []),
    { tagName: 'link', rel: 'canonical', href: share.url },
  ];
}

export default function ListingPage() {
  const { listing, referringNoteId, priceText, shipsToNames } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const images = listingPhotos(listing);
  const soldOut = listing.quantity === 0;
  return (
    <article className="listing">
      <div className="listing-images">
        {images.length > 0 ? (
          images.map((image, index) => (
            <a key={image.medium} href={image.full}>
              <img
                src={image.medium}
                alt={t('listing.photo', { index: index + 1, title: listing.title })}
                width={960}
                height={720}
                fetchPriority={index === 0 ? 'high' : undefined}
                loading={index === 0 ? undefined : 'lazy'}
              />
            </a>
          ))
        ) : (
          <div className="card-placeholder large" aria-hidden="true">
            {listing.title.slice(0, 1)}
          </div>
        )}
      </div>
      <div className="listing-body">
        <h1>{listing.title}</h1>
        <p className="price">{priceText}</p>
        <dl className="facts">
          <dt>{t('listing.seller')}</dt>
          <dd>
            <Link to={`/stalls/${listing.sellerId}`}>{listing.sellerName}</Link>
          </dd>
          <dt>{t('listing.condition')}</dt>
          <dd>{t(`condition.${listing.condition}`)}</dd>
          <dt>{t('listing.category')}</dt>
          <dd>{listing.category}</dd>
          <dt>{t('listing.available')}</dt>
          <dd>{soldOut ? t('listing.soldOut') : t('listing.left', { count: listing.quantity })}</dd>
          <dt>{t('listing.shipsTo')}</dt>
          <dd>{listing.shipsTo.length === 0 ? t('listing.shipsAnywhere') : shipsToNames}</dd>
          <dt>{t('listing.listed')}</dt>
          <dd>
            <LocalTime iso={listing.createdAt} />
          </dd>
        </dl>
        {listing.drop ? (
          <p className="notice">
            {t(listing.drop.status === 'live' ? 'listing.dropLive' : 'listing.dropScheduled')}{' '}
            <LocalTime
              iso={listing.drop.status === 'live' ? listing.drop.endsAt : listing.drop.startsAt}
            />
          </p>
        ) : null}
        {soldOut ? null : (
          <p>
            <Link
              className="button primary"
              to={`/checkout?listingId=${listing.id}${referringNoteId ? `&note=${referringNoteId}` : ''}`}
            >
              {t('listing.buy')}
            </Link>
          </p>
        )}
        <div className="description">{listing.description}</div>
      </div>
    </article>
  );
}
