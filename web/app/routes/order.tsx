import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Form,
  Link,
  redirect,
  useActionData,
  useLoaderData,
  useNavigation,
  useRevalidator,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor, failure } from '../api/client.server';
import { requireSameOrigin, signInRedirect } from '../auth/session.server';
import { FormProblem, problemOf, type Problem } from '../components/FormProblem';
import { Countdown } from '../format/Countdown';
import { countryName } from '../format/countries';
import { LocalTime } from '../format/LocalTime';
import { formatMoney } from '../format/money';
import { metaTranslator } from '../i18n/meta';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  if (!api.token) throw signInRedirect(request);
  const {
    data: order,
    error,
    response,
  } = await api.client.GET('/v1/orders/{id}', {
    params: { path: { id: params.id ?? '' } },
  });
  if (!order) throw failure(response.status === 403 ? 404 : response.status, error);
  const { data: me } = await api.client.GET('/v1/me');
  return { order, isBuyer: me?.id === order.buyerId };
}

/** Pay (manual provider) or cancel while the order waits for payment; mark it received once shipped. */
export async function action({
  request,
  context,
  params,
}: ActionFunctionArgs): Promise<Problem | Response> {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  if (!api.token) return signInRedirect(request);
  const id = params.id ?? '';
  const intent = (await request.formData()).get('intent');
  const path = { params: { path: { id } } };
  const result =
    intent === 'cancel'
      ? await api.client.POST('/v1/orders/{id}/cancel', path)
      : intent === 'received'
        ? await api.client.POST('/v1/orders/{id}/complete', path)
        : await api.client.POST('/v1/orders/{id}/pay', path);
  if (!result.data) return problemOf(result.response, result.error);
  return redirect(`/orders/${id}`);
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [{ title: `${t('order.title')} · cyberstall` }, { name: 'robots', content: 'noindex' }];
}

export default function OrderPage() {
  const { order, isBuyer } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const busy = useNavigation().state !== 'idle';
  const { revalidate } = useRevalidator();
  const expired = useCallback(() => void revalidate(), [revalidate]);
  const money = (amount: number) => formatMoney(amount, order.currency, i18n.language);
  const waiting = order.status === 'pending_payment';
  return (
    <section className="narrow">
      <h1>{t('order.title')}</h1>
      <p className={`status status-${order.status}`} role="status">
        {t(`order.status.${order.status}`)}
      </p>
      <FormProblem problem={problem} />
      {waiting && isBuyer ? (
        <div className="notice">
          <p>
            {t('order.holdUntil')} <Countdown until={order.expiresAt} onDone={expired} />
          </p>
          {order.payment.provider === 'manual' ? (
            <div className="actions">
              <Form method="post">
                <button type="submit" name="intent" value="pay" className="primary" disabled={busy}>
                  {t('order.pay', { amount: money(order.totalAmount) })}
                </button>
              </Form>
              <Form method="post">
                <button type="submit" name="intent" value="cancel" disabled={busy}>
                  {t('order.cancel')}
                </button>
              </Form>
            </div>
          ) : (
            <p>{t('order.cardPayment')}</p>
          )}
        </div>
      ) : null}
      {order.status === 'shipped' && isBuyer ? (
        <div className="notice">
          {order.carrier || order.trackingNumber ? (
            <p>
              {t('order.tracking')}{' '}
              {[order.carrier, order.trackingNumber].filter(Boolean).join(' ')}
            </p>
          ) : null}
          <Form method="post">
            <button
              type="submit"
              name="intent"
              value="received"
              className="primary"
              disabled={busy}
            >
              {t('order.received')}
            </button>
          </Form>
        </div>
      ) : null}
      <dl className="facts">
        {order.items.map((item) => (
          <div key={item.listingId} className="fact-row">
            <dt>
              <Link to={`/listings/${item.listingId}`}>{item.title}</Link> × {item.quantity}
            </dt>
            <dd>{money(item.unitAmount * item.quantity)}</dd>
          </div>
        ))}
        <dt>{t('checkout.subtotal')}</dt>
        <dd>{money(order.subtotalAmount)}</dd>
        {order.discountAmount > 0 ? (
          <>
            <dt>
              {t('checkout.discount')} {order.couponCode ? `(${order.couponCode})` : ''}
            </dt>
            <dd>−{money(order.discountAmount)}</dd>
          </>
        ) : null}
        <dt>{t('checkout.total')}</dt>
        <dd className="price">{money(order.totalAmount)}</dd>
        <dt>{t('order.seller')}</dt>
        <dd>
          <Link to={`/stalls/${order.sellerId}`}>{order.sellerName}</Link>
        </dd>
        <dt>{t('checkout.shipping')}</dt>
        <dd>
          {order.shippingAddress.name}, {order.shippingAddress.line1}
          {order.shippingAddress.line2 ? `, ${order.shippingAddress.line2}` : ''},{' '}
          {order.shippingAddress.city} {order.shippingAddress.postalCode},{' '}
          {countryName(order.shippingAddress.country, i18n.language)}
        </dd>
        <dt>{t('order.placed')}</dt>
        <dd>
          <LocalTime iso={order.createdAt} />
        </dd>
      </dl>
    </section>
  );
}
