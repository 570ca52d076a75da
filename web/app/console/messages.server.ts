import type { Messages } from '../i18n/i18n';
import type { Language } from '../i18n/languages';

/**
 * The console's strings, one JSON file per area and language
 * (`app/i18n/console/<area>.<lang>.json`). Only this loader imports them, so they stay out of
 * the storefront's bundles and its per-page messages; each area's keys sit under its name.
 */
const FILES = import.meta.glob<{ default: Messages }>('../i18n/console/*.json');

const FILE_NAME = /\/([a-z][a-z0-9-]*)\.([A-Za-z-]+)\.json$/;

export async function consoleMessagesFor(language: Language): Promise<Messages> {
  const areas = Object.entries(FILES).flatMap(([path, load]) => {
    const match = FILE_NAME.exec(path);
    return match?.[2] === language && match[1] ? [{ area: match[1], load }] : [];
  });
  const loaded = await Promise.all(
    areas.map(async ({ area, load }) => [area, (await load()).default] as const),
  );
  return Object.fromEntries(loaded);
}
