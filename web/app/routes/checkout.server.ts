import { randomUUID } from 'node:crypto';
import { redirect, type RouterContextProvider } from 'react-router';
import { apiFor, failure } from '../api/client.server';
import { requireSameOrigin, signInRedirect } from '../auth/session.server';
import { problemOf, type Problem } from '../components/FormProblem';
import { COUNTRY_CODES, countryOptions } from '../format/countries';
import { languageOf } from '../i18n/preferences.server';

/** What the checkout form needs: the listing, where it ships, and the buyer's defaults. */
export async function loadCheckout(
  request: Request,
  context: Readonly<RouterContextProvider>,
  listingId: string,
) {
  const api = await apiFor(request, context);
  if (!api.token) throw signInRedirect(request);
  const [listing, me, language] = await Promise.all([
    api.client.GET('/v1/listings/{id}', { params: { path: { id: listingId } } }),
    api.client.GET('/v1/me'),
    languageOf(request),
  ]);
  if (!me.data) throw signInRedirect(request);
  if (!listing.data) throw failure(listing.response.status, listing.error);
  return {
    listing: listing.data,
    buyer: { name: me.data.displayName, country: me.data.country, id: me.data.id },
    // Named and sorted here, on the server: the browser hydrates these very strings, whatever
    // its own ICU would call a country.
    countries: countryOptions(
      language,
      listing.data.shipsTo.length > 0 ? listing.data.shipsTo : COUNTRY_CODES,
    ),
    // One key per form shown: a double click or a retried post creates one order, not two.
    idempotencyKey: randomUUID(),
  };
}

/** Creates the order (stock held until it expires), then shows it with its pay button. */
export async function createOrder(
  request: Request,
  context: Readonly<RouterContextProvider>,
): Promise<Problem | Response> {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  if (!api.token) return signInRedirect(request);
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const couponCode = text('couponCode');
  const reservationToken = text('reservationToken');
  const referringNoteId = text('referringNoteId');
  const line2 = text('line2');
  const { data, error, response } = await api.client.POST('/v1/orders', {
    headers: { 'Idempotency-Key': text('idempotencyKey') || randomUUID() },
    body: {
      items: [{ listingId: text('listingId'), quantity: Number(text('quantity') || '1') }],
      ...(couponCode ? { couponCode } : {}),
      ...(reservationToken ? { reservationToken } : {}),
      ...(referringNoteId ? { referringNoteId } : {}),
      shippingAddress: {
        name: text('name'),
        line1: text('line1'),
        ...(line2 ? { line2 } : {}),
        city: text('city'),
        postalCode: text('postalCode'),
        country: text('country'),
      },
    },
  });
  if (!data) return problemOf(response, error);
  return redirect(`/orders/${data.id}`);
}
