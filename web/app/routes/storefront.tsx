import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  data as withStatus,
  Link,
  useFetcher,
  useLoaderData,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor, type Api } from '../api/client.server';
import type { components } from '../api/schema';
import { FeedStrip } from '../components/FeedStrip';
import { ListingCard, type PricedListing } from '../components/ListingCard';
import { SearchFilters, type CountryOption } from '../components/SearchFilters';
import { countryOptions } from '../format/countries';
import { formatMoney } from '../format/money';
import { metaTranslator } from '../i18n/meta';
import { languageOf, timeZoneCookieOf } from '../i18n/preferences.server';
import { browseQuery, type BrowseFilters } from './storefront-query';

interface Page {
  listings: PricedListing[];
  nextCursor: string | null;
  filters: BrowseFilters;
  /** A filter the API refused, or the API being unreachable: shown, never a crash. */
  problem: 'filters' | 'price_needs_currency' | 'unavailable' | null;
  problemMessage: string | null;
  /** The community's notes (GET /v1/feed), on the home page's first page only. */
  feed: { mode: 'random' | 'ranked'; notes: components['schemas']['Note'][] };
  /**
   * The "ships to" choices, named and sorted on the server: building Intl.DisplayNames was the
   * longest task of the storefront's hydration (35 ms unthrottled, ~140 ms on Lighthouse's
   * mobile CPU), and the browser hydrates these very strings whatever its own ICU says.
   */
  countries: readonly CountryOption[];
}

const NO_FEED: Page['feed'] = { mode: 'ranked', notes: [] };
const FEED_SIZE = 6;

/** The first page of the feed, in the visitor's zone (Friday is theirs); none if it fails. */
async function feedFor(api: Api, request: Request): Promise<Page['feed']> {
  try {
    const timezone = timeZoneCookieOf(request);
    const { data } = await api.client.GET('/v1/feed', {
      params: { query: { limit: FEED_SIZE, ...(timezone ? { timezone } : {}) } },
    });
    return data ? { mode: data.mode, notes: data.data } : NO_FEED;
  } catch {
    return NO_FEED;
  }
}

/** The API failing is the service being unavailable for now: said with 503, not a 200 page. */
function unavailable(page: Page) {
  return withStatus(page, { status: 503, statusText: 'Service Unavailable' });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const { filters, query, problem } = browseQuery(url.searchParams);
  const language = await languageOf(request);
  const countries = countryOptions(language);
  const empty = { listings: [], nextCursor: null, filters, feed: NO_FEED, countries };
  if (problem) return { ...empty, problem, problemMessage: null } satisfies Page;
  const api = await apiFor(request, context);
  const isHome = !query.cursor && Object.values(filters).every((value) => !value);
  const feed = isHome ? feedFor(api, request) : Promise.resolve(NO_FEED);
  try {
    const [{ data, error, response }, notes] = await Promise.all([
      api.client.GET('/v1/listings', { params: { query } }),
      feed,
    ]);
    if (data)
      return {
        listings: data.data.map((listing) => ({
          ...listing,
          priceText: formatMoney(listing.priceAmount, listing.currency, language),
        })),
        nextCursor: data.nextCursor,
        filters,
        problem: null,
        problemMessage: null,
        feed: notes,
        countries,
      } satisfies Page;
    if (response.status === 400)
      return {
        ...empty,
        problem: 'filters',
        problemMessage: error?.error.message ?? null,
      } satisfies Page;
    return unavailable({ ...empty, problem: 'unavailable', problemMessage: null });
  } catch {
    return unavailable({ ...empty, problem: 'unavailable', problemMessage: null });
  }
}

export function meta({ matches, loaderData }: MetaArgs<typeof loader>) {
  const t = metaTranslator(matches);
  const q = loaderData?.filters.q;
  const title = q ? t('storefront.resultsTitle', { q }) : t('storefront.title');
  return [
    { title: `${title} · cyberstall` },
    { name: 'description', content: t('storefront.description') },
    { property: 'og:title', content: title },
    { property: 'og:description', content: t('storefront.description') },
    { property: 'og:type', content: 'website' },
  ];
}

/** Later pages fetched with "more" are appended below the first, which the server rendered. */
function useAppendedPages(first: Page) {
  const fetcher = useFetcher<typeof loader>();
  const [more, setMore] = useState<{ listings: PricedListing[]; nextCursor: string | null }>({
    listings: [],
    nextCursor: first.nextCursor,
  });
  // A later page that failed is said so and leaves "more" where it was, to be tried again:
  // taking its empty list as the end would tell the visitor there is nothing more.
  const [moreProblem, setMoreProblem] = useState<Page['problem']>(null);
  useEffect(() => {
    setMore({ listings: [], nextCursor: first.nextCursor });
    setMoreProblem(null);
  }, [first]);
  useEffect(() => {
    const page = fetcher.data;
    if (!page || fetcher.state !== 'idle') return;
    setMoreProblem(page.problem);
    if (page.problem) return;
    setMore((current) => ({
      listings: [...current.listings, ...page.listings],
      nextCursor: page.nextCursor,
    }));
  }, [fetcher.data, fetcher.state]);
  return {
    fetcher,
    listings: [...first.listings, ...more.listings],
    nextCursor: more.nextCursor,
    moreProblem,
  };
}

function moreHref(filters: BrowseFilters, cursor: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  params.set('cursor', cursor);
  return `/?${params.toString()}`;
}

export default function Storefront() {
  const first = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const { fetcher, listings, nextCursor, moreProblem } = useAppendedPages(first);
  const { filters, problem } = first;
  const loading = fetcher.state !== 'idle';
  return (
    <>
      <h1>{filters.q ? t('storefront.resultsTitle', { q: filters.q }) : t('storefront.title')}</h1>
      <SearchFilters filters={filters} countries={first.countries} />
      <FeedStrip notes={first.feed.notes} mode={first.feed.mode} />
      {problem ? (
        <div className="notice error" role="alert">
          <p>{t(`storefront.problem.${problem}`)}</p>
          {first.problemMessage ? <p>{first.problemMessage}</p> : null}
        </div>
      ) : listings.length === 0 ? (
        <div className="notice" role="status">
          <p>{t('storefront.empty')}</p>
          <p>
            <Link to="/">{t('storefront.clear')}</Link>
          </p>
        </div>
      ) : (
        <ul className="cards" aria-label={t('storefront.listings')}>
          {listings.map((listing) => (
            <ListingCard key={listing.id} listing={listing} />
          ))}
        </ul>
      )}
      {moreProblem && !loading ? (
        <p className="notice error" role="alert">
          {t(`storefront.problem.${moreProblem}`)}
        </p>
      ) : null}
      {nextCursor ? (
        <p className="more">
          <a
            href={moreHref(filters, nextCursor)}
            className="button"
            aria-busy={loading}
            onClick={(event) => {
              event.preventDefault();
              if (!loading) fetcher.load(`${moreHref(filters, nextCursor)}&index`);
            }}
          >
            {loading ? t('storefront.loading') : t('storefront.more')}
          </a>
        </p>
      ) : null}
    </>
  );
}
