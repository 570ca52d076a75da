import type { MetaArgs } from 'react-router';

/**
 * Route `meta` functions cannot use hooks: they look strings up in the messages the root
 * loader sent (same keys and {{name}} placeholders as i18next).
 */
export function metaTranslator(matches: MetaArgs['matches']) {
  const root = matches.find((match) => match?.id === 'root')?.loaderData as
    { messages?: Record<string, unknown> } | undefined;
  const messages = root?.messages ?? {};
  return (key: string, values: Record<string, string> = {}): string => {
    let node: unknown = messages;
    for (const part of key.split('.')) {
      node =
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[part]
          : undefined;
    }
    const text = typeof node === 'string' ? node : key;
    return text.replace(/\{\{(\w+)\}\}/g, (_all, name: string) => values[name] ?? '');
  };
}
