import type { ServerContext } from '../context';

/** Absolute URLs for Open Graph tags: PUBLIC_URL when set, else the address the visitor used. */
export function absoluteUrl(path: string, request: Request, server: ServerContext): string {
  const base = server.publicUrl ?? new URL(request.url).origin;
  return new URL(path, base).toString();
}

/** A description a link preview can show: one line, at most ~160 characters. */
export function summary(text: string, limit = 160): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= limit ? oneLine : `${oneLine.slice(0, limit - 1).trimEnd()}…`;
}
