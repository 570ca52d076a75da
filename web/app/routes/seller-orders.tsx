import { useTranslation } from 'react-i18next';
import {
  Form,
  Link,
  redirect,
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
import { countryName } from '../format/countries';
import { LocalTime } from '../format/LocalTime';
import { formatMoney } from '../format/money';
import { metaTranslator } from '../i18n/meta';
import { toolsLinks } from '../tools/links';
import { Tabs } from '../tools/Tabs';
import { unavailableIf } from '../api/unavailable';

export const links = toolsLinks;

const FILTERS = ['paid', 'shipped', 'all'] as const;
type Filter = (typeof FILTERS)[number];

function filterOf(request: Request): Filter {
  const value = new URL(request.url).searchParams.get('status');
  return (FILTERS as readonly string[]).includes(value ?? '') ? (value as Filter) : 'paid';
}

/** Orders of the seller's items: paid ones wait to be shipped. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  if (!api.token) throw signInRedirect(request);
  const filter = filterOf(request);
  const cursor = new URL(request.url).searchParams.get('cursor') ?? undefined;
  const { data, response } = await api.client.GET('/v1/orders', {
    params: {
      query: {
        role: 'seller',
        limit: 20,
        ...(filter === 'all' ? {} : { status: filter }),
        ...(cursor ? { cursor } : {}),
      },
    },
  });
  // A buyer from the data vault's countries: the address is read from the vault (and logged)
  // for the orders the seller may still need it for.
  const orders = await Promise.all(
    (data?.data ?? []).map(async (order) => {
      if (
        order.shippingAddress ||
        !['paid', 'shipped', 'partially_refunded'].includes(order.status)
      )
        return order;
      const { data: address } = await api.client.GET('/v1/orders/{id}/shipping-address', {
        params: { path: { id: order.id } },
      });
      return { ...order, shippingAddress: address ?? null };
    }),
  );
  return unavailableIf([response], {
    filter,
    orders,
    nextCursor: data?.nextCursor ?? null,
    failed: !data,
  });
}

/** Marks a paid order shipped, with the carrier and tracking number the buyer will see. */
export async function action({
  request,
  context,
}: ActionFunctionArgs): Promise<(Problem & { orderId: string }) | Response> {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  if (!api.token) return signInRedirect(request);
  const form = await request.formData();
  const orderId = String(form.get('orderId') ?? '');
  const carrier = String(form.get('carrier') ?? '').trim();
  const trackingNumber = String(form.get('trackingNumber') ?? '').trim();
  const result = await api.client.POST('/v1/orders/{id}/ship', {
    params: { path: { id: orderId } },
    body: { ...(carrier ? { carrier } : {}), ...(trackingNumber ? { trackingNumber } : {}) },
  });
  if (!result.data) return { ...problemOf(result.response, result.error), orderId };
  return redirect(`/sell/orders?shipped=${encodeURIComponent(orderId)}`);
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [
    { title: `${t('sellerOrders.title')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export default function SellerOrders() {
  const { filter, orders, nextCursor, failed } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const { t, i18n } = useTranslation();
  return (
    <section>
      <h1>{t('sellerOrders.title')}</h1>
      <Tabs
        label={t('sellerOrders.filter')}
        tabs={FILTERS.map((name) => ({
          to: `/sell/orders?status=${name}`,
          label: t(`sellerOrders.tab.${name}`),
          current: name === filter,
        }))}
      />
      {failed ? (
        <p className="notice error" role="alert">
          {t('problem.unavailable')}
        </p>
      ) : orders.length === 0 ? (
        <p className="notice" role="status">
          {t(`sellerOrders.empty.${filter}`)}
        </p>
      ) : (
        <ul className="row-list">
          {orders.map((order) => {
            const address = order.shippingAddress;
            return (
              <li key={order.id} className="row-card no-thumb">
                <article className="row-body" aria-labelledby={`order-${order.id}`}>
                  <h2 id={`order-${order.id}`} className="card-title">
                    {order.items.map((item) => `${item.title} × ${item.quantity}`).join(', ')}
                  </h2>
                  <span>
                    {formatMoney(order.totalAmount, order.currency, i18n.language)} ·{' '}
                    <span className={`status status-${order.status}`}>
                      {t(`sellerOrders.status.${order.status}`)}
                    </span>
                  </span>
                  <span className="card-meta">
                    {t('sellerOrders.buyer')} {order.buyerName} ·{' '}
                    <LocalTime iso={order.paidAt ?? order.createdAt} />
                  </span>
                  {address ? (
                    <span>
                      {t('sellerOrders.shipTo')} {address.name}, {address.line1}
                      {address.line2 ? `, ${address.line2}` : ''}, {address.city}{' '}
                      {address.postalCode}, {countryName(address.country, i18n.language)}
                    </span>
                  ) : null}
                  {order.status === 'shipped' && (order.carrier || order.trackingNumber) ? (
                    <span>
                      {t('order.tracking')}{' '}
                      {[order.carrier, order.trackingNumber].filter(Boolean).join(' ')}
                    </span>
                  ) : null}
                  {problem?.orderId === order.id ? <FormProblem problem={problem} /> : null}
                  {order.status === 'paid' ? (
                    <Form method="post" className="ship-form">
                      <input type="hidden" name="orderId" value={order.id} />
                      <label>
                        {t('sellerOrders.carrier')}
                        <input name="carrier" maxLength={100} autoComplete="off" />
                      </label>
                      <label>
                        {t('sellerOrders.trackingNumber')}
                        <input name="trackingNumber" maxLength={100} autoComplete="off" />
                      </label>
                      <button type="submit" className="primary" disabled={busy}>
                        {t('sellerOrders.ship')}
                      </button>
                    </Form>
                  ) : null}
                </article>
              </li>
            );
          })}
        </ul>
      )}
      {nextCursor ? (
        <p className="more">
          <Link
            className="button"
            to={`?status=${filter}&cursor=${encodeURIComponent(nextCursor)}`}
          >
            {t('sellerOrders.more')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
