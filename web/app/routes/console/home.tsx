import { useTranslation } from 'react-i18next';
import { Link, type MetaArgs } from 'react-router';
import { CONSOLE_NS } from '../../console/i18n';
import { consoleMetaTranslator } from '../../console/meta';
import { navFor } from '../../console/nav';
import { useConsoleData } from '../../console/data';

export function meta({ matches }: MetaArgs) {
  const t = consoleMetaTranslator(matches);
  return [{ title: `${t('frame.title')} · cyberstall` }, { name: 'robots', content: 'noindex' }];
}

/** The sections this member's roles open, or a word that there are none. */
export default function ConsoleHome() {
  const { t } = useTranslation(CONSOLE_NS);
  const entries = navFor(useConsoleData()?.roles ?? []);
  return (
    <section>
      <h1>{t('frame.title')}</h1>
      {entries.length === 0 ? (
        <p className="notice" role="status">
          {t('frame.none')}
        </p>
      ) : (
        <ul className="hub">
          {entries.map((entry) => (
            <li key={entry.to}>
              <Link to={entry.to}>{t(entry.labelKey)}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
