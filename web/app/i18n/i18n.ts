import i18next, { type i18n, type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from './languages';

export type Messages = Record<string, unknown>;

/**
 * One i18next instance per language and render: the server answers many languages at once, and
 * the browser gets only its own language's strings (from the root loader), never all four.
 */
export function createI18n(language: Language, messages: Messages): i18n {
  const instance = i18next.createInstance();
  const resources: Resource = { [language]: { translation: messages } };
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: false,
    resources,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
