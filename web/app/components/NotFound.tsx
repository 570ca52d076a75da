import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFound() {
  const { t } = useTranslation();
  return (
    <section className="notice" aria-labelledby="not-found-title">
      <title>{t('notFound.title', 'Page not found')}</title>
      <h1 id="not-found-title">{t('notFound.title', 'Page not found')}</h1>
      <p>{t('notFound.body', 'There is nothing here: the link may be old, or the item gone.')}</p>
      <p>
        <Link to="/">{t('notFound.home', 'Back to the storefront')}</Link>
      </p>
    </section>
  );
}
