import { useTranslation } from 'react-i18next';
import {
  Link,
  useActionData,
  useLoaderData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor, failure } from '../api/client.server';
import { CheckoutForm } from '../components/CheckoutForm';
import { metaTranslator } from '../i18n/meta';
import { createOrder, loadCheckout } from './checkout.server';

/**
 * The drop's `purchaseUrl`: a solver's reservation turned into an order. The reservation token
 * travels in the form; the API checks it belongs to this buyer and has not expired.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const reservationToken = new URL(request.url).searchParams.get('reservationToken');
  const api = await apiFor(request, context);
  const {
    data: drop,
    error,
    response,
  } = await api.client.GET('/v1/campaigns/drops/{id}', {
    params: { path: { id: params.id ?? '' } },
  });
  if (!drop || !reservationToken) throw failure(drop ? 404 : response.status, error);
  const checkout = await loadCheckout(request, context, drop.listingId);
  return { ...checkout, drop: { id: drop.id, title: drop.title }, reservationToken };
}

export const action = ({ request, context }: ActionFunctionArgs) => createOrder(request, context);

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [{ title: `${t('checkout.title')} · cyberstall` }, { name: 'robots', content: 'noindex' }];
}

export default function DropCheckout() {
  const { listing, buyer, countries, idempotencyKey, drop, reservationToken } =
    useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section className="narrow">
      <h1>{t('checkout.title')}</h1>
      <p>
        {t('checkout.fromDrop', { title: drop.title })} ·{' '}
        <Link to={`/listings/${listing.id}`}>{listing.title}</Link>
      </p>
      <CheckoutForm
        listing={listing}
        buyer={buyer}
        countries={countries}
        idempotencyKey={idempotencyKey}
        problem={problem}
        reservationToken={reservationToken}
      />
    </section>
  );
}
