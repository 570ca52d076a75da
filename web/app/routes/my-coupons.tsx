import { useTranslation } from 'react-i18next';
import { Link, useLoaderData, type LoaderFunctionArgs, type MetaArgs } from 'react-router';
import { apiFor } from '../api/client.server';
import { unavailableIf } from '../api/unavailable';
import { signInRedirect } from '../auth/session.server';
import { LocalTime } from '../format/LocalTime';
import { formatMoney } from '../format/money';
import { metaTranslator } from '../i18n/meta';
import { discountText } from '../tools/discount';
import { toolsLinks } from '../tools/links';

export const links = toolsLinks;

/** The coupons the member owns (from points conversions and brands' airdrops). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  if (!api.token) throw signInRedirect(request);
  const cursor = new URL(request.url).searchParams.get('cursor') ?? undefined;
  const { data, response } = await api.client.GET('/v1/me/coupons', {
    params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } },
  });
  return unavailableIf([response], {
    coupons: data?.data ?? [],
    nextCursor: data?.nextCursor ?? null,
    failed: !data,
  });
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [{ title: `${t('coupons.title')} · cyberstall` }, { name: 'robots', content: 'noindex' }];
}

export default function MyCoupons() {
  const { coupons, nextCursor, failed } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <section>
      <h1>{t('coupons.title')}</h1>
      {failed ? (
        <p className="notice error" role="alert">
          {t('problem.unavailable')}
        </p>
      ) : coupons.length === 0 ? (
        <div className="notice" role="status">
          <p>{t('coupons.empty')}</p>
          <p>
            <Link to="/account/points">{t('coupons.toPoints')}</Link>
          </p>
        </div>
      ) : (
        <ul className="row-list">
          {coupons.map((coupon) => (
            <li key={coupon.code} className="row-card no-thumb">
              <div className="row-body">
                <span className="card-title">
                  {t('coupons.off', { amount: discountText(coupon, i18n.language) })}
                  {coupon.brandName ? ` · ${coupon.brandName}` : ''}
                </span>
                <span className="code">{coupon.code}</span>
                <span className={`status status-${coupon.status}`}>
                  {t(`coupons.status.${coupon.status}`)}
                </span>
                {coupon.minSpendAmount && coupon.currency ? (
                  <span className="card-meta">
                    {t('coupons.minSpend', {
                      amount: formatMoney(coupon.minSpendAmount, coupon.currency, i18n.language),
                    })}
                  </span>
                ) : null}
                <span className="card-meta">
                  {coupon.status === 'redeemed' && coupon.redeemedAt ? (
                    <>
                      {t('coupons.redeemedAt')} <LocalTime iso={coupon.redeemedAt} />
                    </>
                  ) : (
                    <>
                      {t('coupons.expires')} <LocalTime iso={coupon.expiresAt} />
                    </>
                  )}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
      {nextCursor ? (
        <p className="more">
          <Link className="button" to={`?cursor=${encodeURIComponent(nextCursor)}`}>
            {t('coupons.more')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
