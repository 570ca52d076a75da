import type { EntryContext } from 'react-router';

/**
 * What a route may export as `handle`: `allowsStripe(loaderData)` says whether the page shows
 * Stripe's Payment Element, whose script, frames and API its Content-Security-Policy then allow.
 * Every other page's policy keeps Stripe out.
 */
export interface PageHandle {
  allowsStripe?: (loaderData: unknown) => boolean;
}

export function pageAllowsStripe(context: EntryContext): boolean {
  const { matches, loaderData } = context.staticHandlerContext;
  return matches.some((match) => {
    const handle = context.routeModules[match.route.id]?.handle as PageHandle | undefined;
    return handle?.allowsStripe?.(loaderData[match.route.id]) ?? false;
  });
}
