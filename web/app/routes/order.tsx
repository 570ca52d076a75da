import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Form,
  Link,
  redirect,
  redirectDocument,
  useActionData,
  useLoaderData,
  useNavigation,
  useRevalidator,
  type ActionFunctionArgs,
  type ClientLoaderFunctionArgs,
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
import { languageOf } from '../i18n/preferences.server';
import { serverContext } from '../context';
import type { PageHandle } from '../security';

/** Stripe's code is fetched only when an order waits for a card payment, after hydration. */
const StripePayment = lazy(() => import('../payments/StripePayment'));

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
  const [{ data: me }, language, vaultAddress] = await Promise.all([
    api.client.GET('/v1/me'),
    languageOf(request),
    // A buyer from the data vault's countries: the address is read from the vault (and logged),
    // for its buyer always, for its seller while they may still need it (else none).
    order.shippingAddress
      ? null
      : api.client
          .GET('/v1/orders/{id}/shipping-address', { params: { path: { id: order.id } } })
          .then(({ data }) => data ?? null),
  ]);
  if (vaultAddress) order.shippingAddress = vaultAddress;
  const isBuyer = me?.id === order.buyerId;
  const { payments } = context.get(serverContext);
  const { clientSecret } = order.payment;
  const stripe =
    isBuyer &&
    order.status === 'pending_payment' &&
    order.payment.provider === 'stripe' &&
    clientSecret &&
    payments.stripePublishableKey
      ? { publishableKey: payments.stripePublishableKey, clientSecret }
      : null;
  return {
    order,
    isBuyer,
    stripe,
    // Named on the server, so the browser's own ICU cannot word it differently at hydration.
    countryName: order.shippingAddress ? countryName(order.shippingAddress.country, language) : '',
  };
}

type OrderData = Awaited<ReturnType<typeof loader>>;

/** Only while the buyer is to pay by card may this page load Stripe's script and frames. */
export const handle: PageHandle = {
  allowsStripe: (data) => Boolean((data as OrderData | undefined)?.stripe),
};

/** Whether this document was served for `url`: only then does its CSP say what the page needs. */
function documentServedFor(url: string): boolean {
  const [entry] = performance.getEntriesByType('navigation');
  return entry !== undefined && new URL(entry.name).pathname === new URL(url).pathname;
}

/**
 * Reached by a link or a form (client-side), an order awaiting a card payment is loaded as a
 * document instead: the page it came from has a policy that keeps Stripe out.
 */
export async function clientLoader({ request, serverLoader }: ClientLoaderFunctionArgs) {
  const data = await serverLoader<typeof loader>();
  if (data.stripe && !documentServedFor(request.url)) {
    const url = new URL(request.url);
    throw redirectDocument(url.pathname + url.search);
  }
  return data;
}

/** Client-only (after hydration), so the server never renders Stripe's element. */
function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
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
  const { order, isBuyer, stripe, countryName: shipTo } = useLoaderData<typeof loader>();
  const hydrated = useHydrated();
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
          ) : stripe ? (
            <div className="stack">
              <p>{t('order.cardPayment')}</p>
              {hydrated ? (
                <Suspense
                  fallback={
                    <p className="hint" role="status">
                      {t('order.stripe.loading')}
                    </p>
                  }
                >
                  <StripePayment
                    publishableKey={stripe.publishableKey}
                    clientSecret={stripe.clientSecret}
                    payLabel={t('order.pay', { amount: money(order.totalAmount) })}
                  />
                </Suspense>
              ) : (
                <p className="hint" role="status">
                  {t('order.stripe.loading')}
                </p>
              )}
              <Form method="post">
                <button type="submit" name="intent" value="cancel" disabled={busy}>
                  {t('order.cancel')}
                </button>
              </Form>
            </div>
          ) : (
            <p>{t('order.cardUnavailable')}</p>
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
        {order.shippingAddress ? (
          <>
            <dt>{t('checkout.shipping')}</dt>
            <dd>
              {order.shippingAddress.name}, {order.shippingAddress.line1}
              {order.shippingAddress.line2 ? `, ${order.shippingAddress.line2}` : ''},{' '}
              {order.shippingAddress.city} {order.shippingAddress.postalCode}, {shipTo}
            </dd>
          </>
        ) : null}
        <dt>{t('order.placed')}</dt>
        <dd>
          <LocalTime iso={order.createdAt} />
        </dd>
      </dl>
    </section>
  );
}
