import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Form, useFetcher, useNavigation } from 'react-router';
import type { components } from '../api/schema';
import { formatMoney } from '../format/money';
import { FormProblem, type Problem } from './FormProblem';

type Listing = components['schemas']['Listing'];
type CouponPreview = components['schemas']['CouponPreview'];

interface Props {
  listing: Listing;
  buyer: { name: string; country: string };
  /** Where the listing ships, named in the viewer's language by the server (loader data). */
  countries: readonly { code: string; name: string }[];
  idempotencyKey: string;
  problem: Problem | undefined;
  reservationToken?: string;
  /** The note the buyer came through (`?note=` on the listing page), named by the order. */
  referringNoteId?: string | null;
}

/** Asks the server (which holds the token) what a coupon would take off, as the buyer types. */
function useCouponPreview(listingId: string, quantity: number) {
  const fetcher = useFetcher<CouponPreview | { error: string }>();
  const [code, setCode] = useState('');
  const { load } = fetcher;
  useEffect(() => {
    const compact = code.replace(/[\s-]/g, '');
    if (compact.length < 16) return;
    const timer = setTimeout(() => {
      const params = new URLSearchParams({ code, listingId, quantity: String(quantity) });
      void load(`/checkout/coupon?${params.toString()}`);
    }, 300);
    return () => clearTimeout(timer);
  }, [code, listingId, quantity, load]);
  const ready = code.replace(/[\s-]/g, '').length >= 16;
  return {
    code,
    setCode,
    preview: ready ? fetcher.data : undefined,
    busy: fetcher.state !== 'idle',
  };
}

export function CheckoutForm({
  listing,
  buyer,
  countries,
  idempotencyKey,
  problem,
  reservationToken,
  referringNoteId,
}: Props) {
  const { t, i18n } = useTranslation();
  const submitting = useNavigation().state === 'submitting';
  const [quantity, setQuantity] = useState(1);
  const coupon = useCouponPreview(listing.id, quantity);
  const defaultCountry = countries.some((country) => country.code === buyer.country)
    ? buyer.country
    : countries[0]?.code;
  const subtotal = listing.priceAmount * quantity;
  const discount =
    coupon.preview && 'valid' in coupon.preview && coupon.preview.valid
      ? coupon.preview.discountAmount
      : 0;
  const money = (amount: number) => formatMoney(amount, listing.currency, i18n.language);
  const maxQuantity = reservationToken ? 1 : Math.max(1, listing.quantity);
  return (
    <Form method="post" className="stack checkout">
      <FormProblem problem={problem} />
      <input type="hidden" name="listingId" value={listing.id} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {referringNoteId ? (
        <input type="hidden" name="referringNoteId" value={referringNoteId} />
      ) : null}
      {reservationToken ? (
        <input type="hidden" name="reservationToken" value={reservationToken} />
      ) : null}
      <label>
        {t('checkout.quantity')}
        <input
          name="quantity"
          type="number"
          min={1}
          max={maxQuantity}
          value={quantity}
          readOnly={Boolean(reservationToken)}
          onChange={(event) => setQuantity(Math.max(1, Number(event.currentTarget.value) || 1))}
          required
        />
      </label>
      <fieldset className="stack">
        <legend>{t('checkout.shipping')}</legend>
        <label>
          {t('checkout.name')}
          <input name="name" autoComplete="name" defaultValue={buyer.name} required />
        </label>
        <label>
          {t('checkout.line1')}
          <input name="line1" autoComplete="address-line1" required />
        </label>
        <label>
          {t('checkout.line2')}
          <input name="line2" autoComplete="address-line2" />
        </label>
        <label>
          {t('checkout.city')}
          <input name="city" autoComplete="address-level2" required />
        </label>
        <label>
          {t('checkout.postalCode')}
          <input name="postalCode" autoComplete="postal-code" required />
        </label>
        <label>
          {t('checkout.country')}
          <select name="country" autoComplete="country" defaultValue={defaultCountry} required>
            {countries.map((country) => (
              <option key={country.code} value={country.code}>
                {country.name}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <label>
        {t('checkout.coupon')}
        <input
          name="couponCode"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="XXXX-XXXX-XXXX-XXXX"
          value={coupon.code}
          onChange={(event) => coupon.setCode(event.currentTarget.value)}
          aria-describedby="coupon-status"
        />
      </label>
      <p id="coupon-status" className="hint" role="status">
        {coupon.busy
          ? t('checkout.couponChecking')
          : coupon.preview && 'valid' in coupon.preview
            ? coupon.preview.valid
              ? t('checkout.couponValid', { amount: money(coupon.preview.discountAmount) })
              : t('checkout.couponInvalid', {
                  reason: t([
                    `checkout.reason.${coupon.preview.reason ?? ''}`,
                    'checkout.reason.other',
                  ]),
                })
            : coupon.preview
              ? t('checkout.couponUnavailable')
              : ''}
      </p>
      <dl className="facts totals">
        <dt>{t('checkout.subtotal')}</dt>
        <dd>{money(subtotal)}</dd>
        <dt>{t('checkout.discount')}</dt>
        <dd>{discount > 0 ? `−${money(discount)}` : money(0)}</dd>
        <dt>{t('checkout.total')}</dt>
        <dd className="price">{money(Math.max(0, subtotal - discount))}</dd>
      </dl>
      <button type="submit" className="primary" disabled={submitting}>
        {t('checkout.placeOrder')}
      </button>
    </Form>
  );
}
