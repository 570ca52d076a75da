import { useTranslation } from 'react-i18next';
import { Link, useLoaderData, type LoaderFunctionArgs, type MetaArgs } from 'react-router';
import { apiFor, failure } from '../api/client.server';
import { ListingCard } from '../components/ListingCard';
import { LocalTime } from '../format/LocalTime';
import { countryName } from '../format/countries';
import { absoluteUrl } from '../format/share';
import { metaTranslator } from '../i18n/meta';
import { PAGE_SIZE } from './storefront-query';
import { unavailableIf } from '../api/unavailable';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  const userId = params.userId ?? '';
  const cursor = new URL(request.url).searchParams.get('cursor') ?? undefined;
  const [profile, listings] = await Promise.all([
    api.client.GET('/v1/users/{id}', { params: { path: { id: userId } } }),
    api.client.GET('/v1/listings', {
      params: { query: { sellerId: userId, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
    }),
  ]);
  if (!profile.data) throw failure(profile.response.status, profile.error);
  return unavailableIf([listings.response], {
    profile: profile.data,
    listings: listings.data?.data ?? [],
    nextCursor: listings.data?.nextCursor ?? null,
    listingsFailed: !listings.data,
    url: absoluteUrl(`/stalls/${profile.data.id}`, request, api.server),
  });
}

export function meta({ matches, loaderData }: MetaArgs<typeof loader>) {
  const t = metaTranslator(matches);
  if (!loaderData) return [{ title: `${t('notFound.title')} · cyberstall` }];
  const { profile, url } = loaderData;
  const name = profile.brandName ?? profile.displayName;
  const title = t('stall.title', { name });
  const description = t('stall.description', { name, count: String(profile.listingsCount) });
  return [
    { title: `${title} · cyberstall` },
    { name: 'description', content: description },
    { property: 'og:type', content: 'profile' },
    { property: 'og:site_name', content: 'cyberstall' },
    { property: 'og:title', content: title },
    { property: 'og:description', content: description },
    { property: 'og:url', content: url },
    { tagName: 'link', rel: 'canonical', href: url },
  ];
}

export default function StallPage() {
  const { profile, listings, nextCursor, listingsFailed } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const name = profile.brandName ?? profile.displayName;
  return (
    <>
      <header className="stall-header">
        <h1>{t('stall.title', { name })}</h1>
        <p className="card-meta">
          {profile.brandName ? `${profile.displayName} · ` : ''}
          {countryName(profile.country, i18n.language)} · {t('stall.since')}{' '}
          <LocalTime iso={profile.createdAt} />
        </p>
        <p>
          {t('stall.listingsCount', { count: profile.listingsCount })} ·{' '}
          {t('stall.notesCount', { count: profile.notesCount })}
        </p>
      </header>
      {listingsFailed ? (
        <p className="notice error" role="alert">
          {t('storefront.problem.unavailable')}
        </p>
      ) : listings.length === 0 ? (
        <p className="notice" role="status">
          {t('stall.empty')}
        </p>
      ) : (
        <ul className="cards" aria-label={t('storefront.listings')}>
          {listings.map((listing) => (
            <ListingCard key={listing.id} listing={listing} />
          ))}
        </ul>
      )}
      {nextCursor ? (
        <p className="more">
          <Link className="button" to={`?cursor=${encodeURIComponent(nextCursor)}`}>
            {t('storefront.more')}
          </Link>
        </p>
      ) : null}
    </>
  );
}
