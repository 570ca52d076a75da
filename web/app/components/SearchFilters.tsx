import { useTranslation } from 'react-i18next';
import { Form, Link } from 'react-router';
import { CURRENCIES } from '../format/money';
import type { BrowseFilters } from '../routes/storefront-query';

export interface CountryOption {
  code: string;
  name: string;
}

/**
 * A GET form: every search is a URL a buyer can share or bookmark. The countries come from the
 * page's loader, already named in the viewer's language.
 */
export function SearchFilters({
  filters,
  countries,
}: {
  filters: BrowseFilters;
  countries: readonly CountryOption[];
}) {
  const { t } = useTranslation();
  const hasFilters = Object.values(filters).some((value) => value !== '');
  return (
    <Form method="get" action="/" role="search" className="search" key={JSON.stringify(filters)}>
      <div className="search-row">
        <label htmlFor="q" className="visually-hidden">
          {t('storefront.searchLabel')}
        </label>
        <input
          id="q"
          name="q"
          type="search"
          defaultValue={filters.q}
          placeholder={t('storefront.searchPlaceholder')}
        />
        <button type="submit">{t('storefront.search')}</button>
      </div>
      <details className="filters" open={hasFilters && filters.q === '' ? true : undefined}>
        <summary>{t('storefront.filters')}</summary>
        <div className="filter-grid">
          <label>
            {t('storefront.category')}
            <input name="category" defaultValue={filters.category} />
          </label>
          <label>
            {t('storefront.condition')}
            <select name="condition" defaultValue={filters.condition}>
              <option value="">{t('storefront.any')}</option>
              <option value="new">{t('condition.new')}</option>
              <option value="used">{t('condition.used')}</option>
              <option value="handmade">{t('condition.handmade')}</option>
            </select>
          </label>
          <label>
            {t('storefront.currency')}
            <select name="currency" defaultValue={filters.currency}>
              <option value="">{t('storefront.any')}</option>
              {CURRENCIES.map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('storefront.minPrice')}
            <input name="min" inputMode="decimal" defaultValue={filters.min} />
          </label>
          <label>
            {t('storefront.maxPrice')}
            <input name="max" inputMode="decimal" defaultValue={filters.max} />
          </label>
          <label>
            {t('storefront.shipsTo')}
            <select name="shipsTo" defaultValue={filters.shipsTo}>
              <option value="">{t('storefront.anywhere')}</option>
              {countries.map((country) => (
                <option key={country.code} value={country.code}>
                  {country.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="filter-actions">
          <button type="submit">{t('storefront.apply')}</button>
          {hasFilters ? <Link to="/">{t('storefront.clear')}</Link> : null}
        </div>
      </details>
    </Form>
  );
}
