import type { Messages } from './i18n';
import type { Language } from './languages';

/** Each language's strings in their own JSON module, imported only for the language asked for. */
const LOADERS: Record<Language, () => Promise<{ default: Messages }>> = {
  en: () => import('./messages/en.json'),
  'zh-Hans': () => import('./messages/zh-Hans.json'),
  ja: () => import('./messages/ja.json'),
  'pt-BR': () => import('./messages/pt-BR.json'),
};

export async function messagesFor(language: Language): Promise<Messages> {
  return (await LOADERS[language]()).default;
}
