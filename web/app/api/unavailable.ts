import { data } from 'react-router';

/**
 * The page, answered 503 when the API failed on its side (a 5xx) for any of the calls it needs:
 * monitors, crawlers and caches take it for an outage, not for the page. A refused request (4xx)
 * keeps the page's own status.
 */
export function unavailableIf<T>(responses: Array<Response | null | undefined>, page: T) {
  const failed = responses.some((response) => response && response.status >= 500);
  return failed ? data(page, { status: 503, statusText: 'Service Unavailable' }) : page;
}
