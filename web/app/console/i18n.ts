import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Messages } from '../i18n/i18n';
import type { Language } from '../i18n/languages';

export const CONSOLE_NS = 'console';

const instances = new Map<Language, { site: Messages; console: Messages; instance: i18n }>();

/**
 * The console's own i18next instance: the site's strings (default namespace, for shared
 * components such as FormProblem) plus the console's under the `console` namespace. One per
 * language, reused while the strings are the same objects (requests share it on the server).
 */
export function createConsoleI18n(
  language: Language,
  site: Messages,
  consoleMessages: Messages,
): i18n {
  const known = instances.get(language);
  if (known?.site === site && known.console === consoleMessages) return known.instance;
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: false,
    resources: { [language]: { translation: site, [CONSOLE_NS]: consoleMessages } },
    ns: ['translation', CONSOLE_NS],
    defaultNS: 'translation',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  instances.set(language, { site, console: consoleMessages, instance });
  return instance;
}
