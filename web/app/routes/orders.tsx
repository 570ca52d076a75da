import { useTranslation } from 'react-i18next';
import { Link, useLoaderData, type LoaderFunctionArgs, type MetaArgs } from 'react-router';
import { apiFor } from '../api/client.server';
import { signInRedirect } from '../auth/session.server';
import { LocalTime } from '../format/LocalTime';
import { formatMoney } from '../format/money';
import { metaTranslator } from '../i18n/meta';
import { unavailableIf } from '../api/unavailable';

/** The buyer's orders, newest first, with "more" by cursor. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  if (!api.token) throw signInRedirect(request);
  const cursor = new URL(request.url).searchParams.get('cursor') ?? undefined;
  const { data, response } = await api.client.GET('/v1/orders', {
    params: { query: { role: 'buyer', limit: 20, ...(cursor ? { cursor } : {}) } },
  });
  return unavailableIf([response], {
    orders: data?.data ?? [],
    nextCursor: data?.nextCursor ?? null,
    failed: !data,
  });
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [{ title: `${t('orders.title')} · cyberstall` }, { name: 'robots', content: 'noindex' }];
}

export default function MyOrders() {
  const { orders, nextCursor, failed } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <section>
      <h1>{t('orders.title')}</h1>
      {failed ? (
        <p className="notice error" role="alert">
          {t('problem.unavailable')}
        </p>
      ) : orders.length === 0 ? (
        <div className="notice" role="status">
          <p>{t('orders.empty')}</p>
          <p>
            <Link to="/">{t('notFound.home')}</Link>
          </p>
        </div>
      ) : (
        <ul className="order-list">
          {orders.map((order) => (
            <li key={order.id} className="card">
              <Link to={`/orders/${order.id}`} className="card-title">
                {order.items.map((item) => item.title).join(', ')}
              </Link>
              <span>
                {formatMoney(order.totalAmount, order.currency, i18n.language)} ·{' '}
                {t(`order.status.${order.status}`)}
              </span>
              <span className="card-meta">
                {order.sellerName} · <LocalTime iso={order.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
      {nextCursor ? (
        <p className="more">
          <Link className="button" to={`?cursor=${encodeURIComponent(nextCursor)}`}>
            {t('orders.more')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
