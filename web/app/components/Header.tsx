import { useTranslation } from 'react-i18next';
import { Form, Link, useLocation } from 'react-router';
import { useRootData } from '../root';
import { LanguageSwitcher } from './LanguageSwitcher';

export function Header() {
  const { t } = useTranslation();
  const root = useRootData();
  const location = useLocation();
  const here = location.pathname + location.search;
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <nav aria-label={t('nav.label')}>
        <Link to="/" className="brand">
          cyberstall
        </Link>
        <ul>
          <li>
            <Link to="/">{t('nav.storefront')}</Link>
          </li>
          <li>
            <Link to="/drops">{t('nav.drops')}</Link>
          </li>
          <li>
            <Link to="/notes">{t('notes.navLink')}</Link>
          </li>
          <li>
            <Link to="/glossary">{t('glossary.navLink')}</Link>
          </li>
          <li>
            <Link to="/challenges">{t('challenges.navLink')}</Link>
          </li>
          {root?.viewer ? (
            <>
              <li>
                <Link to="/orders">{t('nav.orders')}</Link>
              </li>
              <li>
                <Link to="/account">{t('account.navLink')}</Link>
              </li>
              {root.viewer.roles.some((role) => role !== 'member') ? (
                <li>
                  <Link to="/console">{t('nav.console')}</Link>
                </li>
              ) : null}
              <li>
                <Link to={`/stalls/${root.viewer.id}`}>{root.viewer.displayName}</Link>
              </li>
              <li>
                <Form method="post" action="/signout">
                  <button type="submit" className="link-button">
                    {t('nav.signOut')}
                  </button>
                </Form>
              </li>
            </>
          ) : (
            <>
              <li>
                <Link to={`/signin?next=${encodeURIComponent(here)}`}>{t('nav.signIn')}</Link>
              </li>
              <li>
                <Link to="/signup">{t('nav.signUp')}</Link>
              </li>
            </>
          )}
        </ul>
      </nav>
      <LanguageSwitcher />
    </header>
  );
}
