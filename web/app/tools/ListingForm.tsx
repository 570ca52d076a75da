import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Form, useNavigation } from 'react-router';
import { FormProblem, type Problem } from '../components/FormProblem';
import { countryName, countryOptions } from '../format/countries';
import { CURRENCIES, toMajorText } from '../format/money';
import { PhotoPicker } from './PhotoPicker';
import type { PhotoRef } from './photos';

export interface ListingValues {
  title: string;
  description: string;
  priceAmount: number | null;
  currency: string;
  quantity: number;
  category: string;
  condition: 'new' | 'used' | 'handmade';
  shipsTo: string[];
  photos: PhotoRef[];
}

export const EMPTY_LISTING: ListingValues = {
  title: '',
  description: '',
  priceAmount: null,
  currency: 'JPY',
  quantity: 1,
  category: '',
  condition: 'new',
  shipsTo: [],
  photos: [],
};

/** The new and edit listing form; on edit the currency is fixed (prices are in its units). */
export function ListingForm({
  values,
  editing,
  problem,
}: {
  values: ListingValues;
  editing: boolean;
  problem: Problem | undefined;
}) {
  const { t, i18n } = useTranslation();
  const busy = useNavigation().state !== 'idle';
  const [uploading, setUploading] = useState(false);
  const [shipsTo, setShipsTo] = useState(values.shipsTo);
  const onBusyChange = useCallback((value: boolean) => setUploading(value), []);
  const invalid = (param: string) => (problem?.param === param ? true : undefined);
  return (
    <Form method="post" className="stack form-wide">
      {problem?.code === 'price_format' ? (
        <p id="form-problem" className="notice error" role="alert">
          {t('listingForm.priceFormat')}
        </p>
      ) : (
        <FormProblem problem={problem} />
      )}
      <PhotoPicker initial={values.photos} onBusyChange={onBusyChange} />
      <label>
        {t('listingForm.title')}
        <input
          name="title"
          required
          maxLength={200}
          defaultValue={values.title}
          aria-invalid={invalid('title')}
        />
      </label>
      <label>
        {t('listingForm.description')}
        <textarea
          name="description"
          maxLength={10000}
          rows={6}
          defaultValue={values.description}
          aria-invalid={invalid('description')}
        />
      </label>
      <div className="field-grid">
        <label>
          {t('listingForm.price')}
          <input
            name="price"
            required
            inputMode="decimal"
            autoComplete="off"
            defaultValue={
              values.priceAmount === null ? '' : toMajorText(values.priceAmount, values.currency)
            }
            aria-invalid={invalid('priceAmount')}
          />
        </label>
        <label>
          {t('listingForm.currency')}
          <select
            name="currency"
            defaultValue={values.currency}
            disabled={editing}
            aria-describedby={editing ? 'currency-fixed' : undefined}
          >
            {CURRENCIES.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('listingForm.quantity')}
          <input
            name="quantity"
            type="number"
            min={0}
            max={1000000}
            step={1}
            required
            defaultValue={values.quantity}
            aria-invalid={invalid('quantity')}
          />
        </label>
        <label>
          {t('listingForm.category')}
          <input
            name="category"
            required
            maxLength={60}
            defaultValue={values.category}
            aria-invalid={invalid('category')}
          />
        </label>
        <label>
          {t('listingForm.condition')}
          <select name="condition" defaultValue={values.condition}>
            {(['new', 'used', 'handmade'] as const).map((condition) => (
              <option key={condition} value={condition}>
                {t(`condition.${condition}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {editing ? (
        <p id="currency-fixed" className="hint">
          {t('listingForm.currencyFixed')}
        </p>
      ) : null}
      <label>
        {t('listingForm.shipsTo')}
        <select
          name="shipsTo"
          multiple
          size={6}
          defaultValue={values.shipsTo}
          onChange={(event) =>
            setShipsTo([...event.target.selectedOptions].map((option) => option.value))
          }
          aria-describedby="ships-to-hint ships-to-chosen"
          aria-invalid={invalid('shipsTo')}
        >
          {countryOptions(i18n.language).map((country) => (
            <option key={country.code} value={country.code}>
              {country.name}
            </option>
          ))}
        </select>
      </label>
      <p id="ships-to-hint" className="hint">
        {t('listingForm.shipsToHint')}
      </p>
      <p id="ships-to-chosen" aria-live="polite">
        {t('listingForm.shipsToChosen', {
          countries:
            shipsTo.length === 0
              ? t('listingForm.anywhere')
              : shipsTo.map((code) => countryName(code, i18n.language)).join(', '),
        })}
      </p>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || uploading}>
          {uploading
            ? t('listingForm.waitUploads')
            : editing
              ? t('listingForm.save')
              : t('listingForm.publish')}
        </button>
      </div>
    </Form>
  );
}
