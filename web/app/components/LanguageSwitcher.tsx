import { useTranslation } from 'react-i18next';
import { Form, useLocation, useSubmit } from 'react-router';
import { LANGUAGES } from '../i18n/languages';
import { useRootData } from '../root';

/** A plain form (works before the scripts load); with scripts, choosing submits at once. */
export function LanguageSwitcher() {
  const { t } = useTranslation();
  const root = useRootData();
  const location = useLocation();
  const submit = useSubmit();
  return (
    <Form method="post" action="/language" className="language-switcher">
      <input type="hidden" name="next" value={location.pathname + location.search} />
      <label htmlFor="language-select">{t('nav.language')}</label>
      <select
        id="language-select"
        name="language"
        defaultValue={root?.language}
        key={root?.language}
        onChange={(event) => void submit(event.currentTarget.form)}
      >
        {LANGUAGES.map((language) => (
          <option key={language.code} value={language.code} lang={language.code}>
            {language.name}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit">{t('nav.change')}</button>
      </noscript>
    </Form>
  );
}
