import { useTranslation } from 'react-i18next';
import {
  Link,
  useActionData,
  useLoaderData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { failure } from '../api/client.server';
import { CheckoutForm } from '../components/CheckoutForm';
import { metaTranslator } from '../i18n/meta';
import { noteParam } from '../notes/linked-listings.server';
import { createOrder, loadCheckout } from './checkout.server';

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const listingId = url.searchParams.get('listingId');
  if (!listingId) throw failure(404, null);
  return {
    ...(await loadCheckout(request, context, listingId)),
    referringNoteId: noteParam(url) ?? null,
  };
}

export const action = ({ request, context }: ActionFunctionArgs) => createOrder(request, context);

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [{ title: `${t('checkout.title')} · cyberstall` }, { name: 'robots', content: 'noindex' }];
}

export default function Checkout() {
  const { listing, buyer, countries, idempotencyKey, referringNoteId } =
    useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section className="narrow">
      <h1>{t('checkout.title')}</h1>
      <p>
        <Link to={`/listings/${listing.id}`}>{listing.title}</Link>
      </p>
      <CheckoutForm
        listing={listing}
        buyer={buyer}
        countries={countries}
        idempotencyKey={idempotencyKey}
        referringNoteId={referringNoteId}
        problem={problem}
      />
    </section>
  );
}
