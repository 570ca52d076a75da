import { useMemo } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { isRouteErrorResponse, NavLink, useRouteError } from 'react-router';
import { useRootData } from '../root';
import { useConsoleData } from './data';
import { createConsoleI18n, CONSOLE_NS } from './i18n';
import { navFor } from './nav';

/** The console's i18next (site strings + `console` namespace), or the site's own before load. */
export function ConsoleI18n({ children }: { children: React.ReactNode }) {
  const root = useRootData();
  const consoleData = useConsoleData();
  const { i18n: site } = useTranslation();
  const instance = useMemo(
    () =>
      root && consoleData
        ? createConsoleI18n(root.language, root.messages, consoleData.messages)
        : site,
    [root, consoleData, site],
  );
  return <I18nextProvider i18n={instance}>{children}</I18nextProvider>;
}

/** The sections this member's roles open. */
export function ConsoleNav() {
  const { t } = useTranslation(CONSOLE_NS);
  const entries = navFor(useConsoleData()?.roles ?? []);
  if (entries.length === 0) return null;
  return (
    <nav className="console-nav" aria-label={t('frame.navLabel')}>
      <p className="console-nav-title">
        <NavLink to="/console" end>
          {t('frame.title')}
        </NavLink>
      </p>
      <ul>
        {entries.map((entry) => (
          <li key={entry.to}>
            <NavLink to={entry.to}>{t(entry.labelKey)}</NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * A refusal or failure inside the console (403: the role does not open this page). Console
 * pages export it as their ErrorBoundary so the navigation stays around it.
 */
export function ConsoleProblem() {
  const error = useRouteError();
  const { t } = useTranslation(CONSOLE_NS);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = status === 403 ? 'forbidden' : status === 404 ? 'notFound' : 'error';
  return (
    <section className="notice" aria-labelledby="console-problem">
      <title>{`${t(`frame.${key}Title`)} · cyberstall`}</title>
      <h1 id="console-problem">{t(`frame.${key}Title`)}</h1>
      <p>{t(`frame.${key}Body`)}</p>
    </section>
  );
}
