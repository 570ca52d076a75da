import i18next, { type i18n, type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from './languages';

export type Messages = Record<string, unknown>;

const instances = new Map<Language, { messages: Messages; instance: i18n }>();

/**
 * One i18next instance per language: the server answers many languages at once (an instance
 * never changes language, so requests share it), and the browser gets only its own language's
 * strings (from the root loader), never all four.
 */
export function createI18n(language: Language, messages: Messages): i18n {
  const known = instances.get(language);
  if (known?.messages === messages) return known.instance;
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
  instances.set(language, { messages, instance });
  return instance;
}
