import { useTranslation } from 'react-i18next';

/** Languages offered for terms and explanations; the viewer's own is added if missing. */
const OFFERED = ['en', 'zh-Hans', 'zh-Hant', 'ja', 'ko', 'pt-BR', 'pt', 'es', 'fr', 'de', 'it'];

function nameOf(tag: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export function LanguageSelect({
  id,
  name,
  defaultValue,
}: {
  id: string;
  name: string;
  defaultValue: string;
}) {
  const { i18n } = useTranslation();
  const tags = OFFERED.includes(defaultValue) ? OFFERED : [defaultValue, ...OFFERED];
  return (
    <select id={id} name={name} defaultValue={defaultValue}>
      {tags.map((tag) => (
        <option key={tag} value={tag}>
          {nameOf(tag, i18n.language)}
        </option>
      ))}
    </select>
  );
}
