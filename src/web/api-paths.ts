/** Paths the API and operations endpoints own; everything else is a page of the web app. */
const API_PREFIXES = ['/v1', '/media', '/docs', '/metrics', '/admin'];
const API_PATHS = ['/openapi.json', '/healthz', '/readyz'];

export function isApiPath(path: string): boolean {
  if (API_PATHS.includes(path)) return true;
  return API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}
