import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CURRENCIES } from '../format/money';
import { CONSOLE_NS } from './i18n';

/** Percent or fixed amount off, the currency, a minimum spend: a coupon's discount. */
export function DiscountFields({ idPrefix }: { idPrefix: string }) {
  const { t } = useTranslation(CONSOLE_NS);
  const [kind, setKind] = useState<'percent' | 'fixed'>('percent');
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <>
      <fieldset className="choice">
        <legend>{t('ops.discount.type')}</legend>
        {(['percent', 'fixed'] as const).map((value) => (
          <label key={value}>
            <input
              type="radio"
              name="discountType"
              value={value}
              checked={kind === value}
              onChange={() => setKind(value)}
            />
            {t(`ops.discount.${value}`)}
          </label>
        ))}
      </fieldset>
      <div className="field-grid">
        {kind === 'percent' ? (
          <label htmlFor={id('percentOff')}>
            {t('ops.discount.percentOff')}
            <input
              id={id('percentOff')}
              name="percentOff"
              type="number"
              min={1}
              max={100}
              step={1}
              defaultValue={10}
              required
            />
          </label>
        ) : (
          <label htmlFor={id('amountOff')}>
            {t('ops.discount.amountOff')}
            <input id={id('amountOff')} name="amountOff" inputMode="decimal" required />
          </label>
        )}
        <label htmlFor={id('currency')}>
          {t('ops.discount.currency')}
          <select
            key={kind}
            id={id('currency')}
            name="currency"
            defaultValue={kind === 'percent' ? '' : 'JPY'}
          >
            {kind === 'percent' ? <option value="">{t('ops.discount.anyCurrency')}</option> : null}
            {CURRENCIES.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={id('minSpend')}>
          {t('ops.discount.minSpend')}
          <input id={id('minSpend')} name="minSpend" inputMode="decimal" />
        </label>
      </div>
    </>
  );
}
