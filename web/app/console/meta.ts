import type { MetaArgs } from 'react-router';

/** `meta` of a console page: strings from the console layout's loader (`console` namespace). */
export function consoleMetaTranslator(matches: MetaArgs['matches']) {
  const layout = matches.find((match) => match?.id === 'console')?.loaderData as
    { messages?: Record<string, unknown> } | undefined;
  const messages = layout?.messages ?? {};
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
