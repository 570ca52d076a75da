import { useTranslation } from 'react-i18next';
import {
  Form,
  Link,
  redirect,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor } from '../api/client.server';
import { unavailableIf } from '../api/unavailable';
import { requireSameOrigin, signInRedirect } from '../auth/session.server';
import { problemOf, type Problem } from '../components/FormProblem';
import { LocalTime } from '../format/LocalTime';
import { formatMoney } from '../format/money';
import { metaTranslator } from '../i18n/meta';
import { discountText } from '../tools/discount';
import { toolsLinks } from '../tools/links';

export const links = toolsLinks;

/** The balance with the entries behind it, the member's conversions, and offers open now. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  if (!api.token) throw signInRedirect(request);
  const cursor = new URL(request.url).searchParams.get('cursor') ?? undefined;
  const [points, conversions, offers] = await Promise.all([
    api.client.GET('/v1/me/points', {
      params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } },
    }),
    api.client.GET('/v1/points/conversions', { params: { query: { limit: 10 } } }),
    api.client.GET('/v1/campaigns/points-offers', { params: { query: { limit: 20 } } }),
  ]);
  return unavailableIf([points.response], {
    points: points.data ?? null,
    conversions: conversions.data?.data ?? [],
    offers: offers.data?.data ?? [],
  });
}

/** Converts points into an offer's coupon; what the request already shows is refused (409). */
export async function action({
  request,
  context,
}: ActionFunctionArgs): Promise<(Problem & { offerId: string }) | Response> {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  if (!api.token) return signInRedirect(request);
  const offerId = String((await request.formData()).get('offerId') ?? '');
  const result = await api.client.POST('/v1/points/conversions', { body: { offerId } });
  if (!result.data) return { ...problemOf(result.response, result.error), offerId };
  return redirect(`/account/points?converted=${encodeURIComponent(offerId)}`);
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [{ title: `${t('points.title')} · cyberstall` }, { name: 'robots', content: 'noindex' }];
}

const REFUSALS = [
  'insufficient_points',
  'offer_not_active',
  'limit_reached',
  'budget_exhausted',
] as const;

function refusalKey(problem: Problem): string {
  if ((REFUSALS as readonly string[]).includes(problem.code))
    return `points.refused.${problem.code}`;
  if (problem.status === 403) return 'points.refused.notMember';
  return 'points.refused.other';
}

export default function MyPoints() {
  const { points, conversions, offers } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const [search] = useSearchParams();
  const busy = useNavigation().state !== 'idle';
  const { t, i18n } = useTranslation();
  if (!points)
    return (
      <section>
        <h1>{t('points.title')}</h1>
        <p className="notice error" role="alert">
          {t('problem.unavailable')}
        </p>
      </section>
    );
  const entries = points.entries.data;
  return (
    <section>
      <h1>{t('points.title')}</h1>
      <p className="hint">{t('points.balanceLabel')}</p>
      <p className="balance">
        {t('points.balance', {
          count: points.balance,
          formatted: points.balance.toLocaleString(i18n.language),
        })}
      </p>
      <p className="hint">{t('points.howToEarn')}</p>
      {search.get('converted') && !refused ? (
        <p className="notice success" role="status">
          {t('points.converted')} <Link to="/account/coupons">{t('points.toCoupons')}</Link>
        </p>
      ) : null}

      <h2>{t('points.offers')}</h2>
      {offers.length === 0 ? (
        <p className="notice">{t('points.noOffers')}</p>
      ) : (
        <ul className="row-list">
          {offers.map((offer) => (
            <li key={offer.id} className="row-card no-thumb">
              <div className="row-body">
                <span className="card-title">{offer.title}</span>
                <span>
                  {t('points.offerCoupon', {
                    amount: discountText(offer.coupon, i18n.language),
                    brand: offer.brandName ?? '',
                  })}
                  {offer.coupon.minSpendAmount && offer.coupon.currency
                    ? ` · ${t('coupons.minSpend', {
                        amount: formatMoney(
                          offer.coupon.minSpendAmount,
                          offer.coupon.currency,
                          i18n.language,
                        ),
                      })}`
                    : ''}
                </span>
                <span className="card-meta">
                  {t('points.offerEnds')} <LocalTime iso={offer.endsAt} />
                </span>
                {refused?.offerId === offer.id ? (
                  <p className="notice error" role="alert">
                    {t(refusalKey(refused), { message: refused.message })}
                  </p>
                ) : null}
                <Form method="post" className="actions">
                  <input type="hidden" name="offerId" value={offer.id} />
                  <button type="submit" className="primary" disabled={busy}>
                    {t('points.convert', { count: offer.pointsCost })}
                  </button>
                </Form>
              </div>
            </li>
          ))}
        </ul>
      )}

      {conversions.length > 0 ? (
        <>
          <h2>{t('points.conversions')}</h2>
          <ul className="row-list">
            {conversions.map((conversion) => (
              <li key={conversion.id} className="row-card no-thumb">
                <div className="row-body">
                  <span className={`status status-${conversion.status}`}>
                    {t(`points.conversionStatus.${conversion.status}`)}
                  </span>
                  {conversion.couponCode ? (
                    <span className="code">{conversion.couponCode}</span>
                  ) : null}
                  {conversion.reason ? (
                    <span>{t(`points.refused.${conversion.reason}`)}</span>
                  ) : null}
                  <span className="card-meta">
                    {conversion.pointsCost !== null
                      ? `${t('points.cost', { count: conversion.pointsCost })} · `
                      : ''}
                    <LocalTime iso={conversion.createdAt} />
                  </span>
                </div>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>{t('points.history')}</h2>
      {entries.length === 0 ? (
        <p className="notice">
          {t('points.noEntries')} <Link to="/notes/new">{t('points.writeNote')}</Link>
        </p>
      ) : (
        <ul className="row-list">
          {entries.map((entry) => (
            <li key={entry.id} className="row-card no-thumb">
              <div className="row-body">
                <span className={entry.amount >= 0 ? 'amount-plus' : 'amount-minus'}>
                  {entry.amount >= 0 ? '+' : '−'}
                  {Math.abs(entry.amount).toLocaleString(i18n.language)}
                </span>
                <span>{t(`points.reason.${entry.reason}`)}</span>
                <span className="card-meta">
                  <LocalTime iso={entry.createdAt} />
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
      {points.entries.nextCursor ? (
        <p className="more">
          <Link className="button" to={`?cursor=${encodeURIComponent(points.entries.nextCursor)}`}>
            {t('points.more')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
