import { data } from 'react-router';

/**
 * A page whose data the API could not give is the service being unavailable for now: said with
 * 503 so that monitors, crawlers and caches take it for an outage, not for the page.
 */
export function unavailableUnless<T>(loaded: boolean, page: T) {
  return loaded ? page : data(page, { status: 503, statusText: 'Service Unavailable' });
}
