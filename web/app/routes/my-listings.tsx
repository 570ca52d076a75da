import { useTranslation } from 'react-i18next';
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor } from '../api/client.server';
import { requireSameOrigin, signInRedirect } from '../auth/session.server';
import { FormProblem, problemOf, type Problem } from '../components/FormProblem';
import { firstThumb } from '../tools/photos';
import { formatMoney } from '../format/money';
import { metaTranslator } from '../i18n/meta';
import { toolsLinks } from '../tools/links';
import { Tabs } from '../tools/Tabs';
import { unavailableIf } from '../api/unavailable';

export const links = toolsLinks;

const FILTERS = ['all', 'active', 'paused', 'sold_out', 'archived'] as const;
type Filter = (typeof FILTERS)[number];

/** The seller's own listings in any status, with pause, activate and archive. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  if (!api.token) throw signInRedirect(request);
  const search = new URL(request.url).searchParams;
  const asked = search.get('status') ?? 'all';
  const filter: Filter = (FILTERS as readonly string[]).includes(asked) ? (asked as Filter) : 'all';
  const cursor = search.get('cursor') ?? undefined;
  const { data, response } = await api.client.GET('/v1/me/listings', {
    params: {
      query: {
        limit: 24,
        ...(filter === 'all' ? {} : { status: filter }),
        ...(cursor ? { cursor } : {}),
      },
    },
  });
  return unavailableIf([response], {
    filter,
    listings: data?.data ?? [],
    nextCursor: data?.nextCursor ?? null,
    failed: !data,
  });
}

export async function action({
  request,
  context,
}: ActionFunctionArgs): Promise<(Problem & { listingId: string }) | Response | null> {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  if (!api.token) return signInRedirect(request);
  const form = await request.formData();
  const listingId = String(form.get('listingId') ?? '');
  const intent = form.get('intent');
  const path = { params: { path: { id: listingId } } };
  const result =
    intent === 'archive'
      ? await api.client.DELETE('/v1/listings/{id}', path)
      : await api.client.PATCH('/v1/listings/{id}', {
          ...path,
          body: { status: intent === 'pause' ? 'paused' : 'active' },
        });
  if (result.error || !result.response.ok)
    return { ...problemOf(result.response, result.error), listingId };
  // The list is loaded again after the action, with the filter it was showing.
  return null;
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [
    { title: `${t('myListings.listingsTitle')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export default function MyListings() {
  const { filter, listings, nextCursor, failed } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const { t, i18n } = useTranslation();
  return (
    <section>
      <div className="page-head">
        <h1>{t('myListings.listingsTitle')}</h1>
        <Link to="/sell/listings/new" className="button primary">
          {t('myListings.newListing')}
        </Link>
      </div>
      <Tabs
        label={t('myListings.filter')}
        tabs={FILTERS.map((name) => ({
          to: name === 'all' ? '/sell/listings' : `/sell/listings?status=${name}`,
          label: t(`myListings.tab.${name}`),
          current: name === filter,
        }))}
      />
      {failed ? (
        <p className="notice error" role="alert">
          {t('problem.unavailable')}
        </p>
      ) : listings.length === 0 ? (
        <div className="notice" role="status">
          <p>{t(filter === 'all' ? 'myListings.emptyAll' : 'myListings.empty')}</p>
          {filter === 'all' ? (
            <p>
              <Link to="/sell/listings/new">{t('myListings.newListing')}</Link>
            </p>
          ) : null}
        </div>
      ) : (
        <ul className="row-list">
          {listings.map((listing) => {
            const thumb = firstThumb(listing.images, listing.media);
            const state =
              listing.status === 'active' && listing.quantity === 0 ? 'sold_out' : listing.status;
            return (
              <li key={listing.id} className="row-card">
                {thumb ? (
                  <img src={thumb} alt="" width={80} height={80} loading="lazy" />
                ) : (
                  <div className="card-placeholder" aria-hidden="true">
                    {listing.title.slice(0, 1)}
                  </div>
                )}
                <div className="row-body">
                  <Link to={`/listings/${listing.id}`} className="card-title">
                    {listing.title}
                  </Link>
                  <span>
                    {formatMoney(listing.priceAmount, listing.currency, i18n.language)} ·{' '}
                    {t('myListings.quantity', { count: listing.quantity })}
                  </span>
                  <span className={`status status-${state}`}>
                    {t(`myListings.status.${state}`)}
                  </span>
                  {problem?.listingId === listing.id ? <FormProblem problem={problem} /> : null}
                  {listing.status !== 'archived' ? (
                    <div className="actions">
                      <Link
                        to={`/sell/listings/${listing.id}/edit`}
                        className="button"
                        aria-label={`${t('myListings.edit')}: ${listing.title}`}
                      >
                        {t('myListings.edit')}
                      </Link>
                      <Form method="post">
                        <input type="hidden" name="listingId" value={listing.id} />
                        <button
                          type="submit"
                          name="intent"
                          value={listing.status === 'active' ? 'pause' : 'activate'}
                          disabled={busy}
                          aria-label={`${t(listing.status === 'active' ? 'myListings.pause' : 'myListings.activate')}: ${listing.title}`}
                        >
                          {t(
                            listing.status === 'active'
                              ? 'myListings.pause'
                              : 'myListings.activate',
                          )}
                        </button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="listingId" value={listing.id} />
                        <button
                          type="submit"
                          name="intent"
                          value="archive"
                          disabled={busy}
                          aria-label={`${t('myListings.archive')}: ${listing.title}`}
                        >
                          {t('myListings.archive')}
                        </button>
                      </Form>
                    </div>
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
            to={`?${filter === 'all' ? '' : `status=${filter}&`}cursor=${encodeURIComponent(nextCursor)}`}
          >
            {t('myListings.more')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
