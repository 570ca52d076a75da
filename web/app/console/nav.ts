import type { components } from '../api/schema';

export type Role = components['schemas']['User']['roles'][number];

export interface ConsoleNavEntry {
  /** Where the entry leads (a route under /console). */
  to: string;
  /** Key in the `console` namespace: `<area>.<key>` (see app/i18n/console/). */
  labelKey: string;
  /** Roles that see the entry; the API decides what each role may actually do. */
  roles: readonly Role[];
}

/**
 * The console's sections, in the order shown. Each area adds its own entries here; an entry is
 * shown to a member holding any of its roles.
 */
export const CONSOLE_NAV: readonly ConsoleNavEntry[] = [
  { to: '/console/drops', labelKey: 'campaigns.nav.drops', roles: ['brand'] },
  { to: '/console/coupons', labelKey: 'ops.nav.coupons', roles: ['brand'] },
  { to: '/console/offers', labelKey: 'ops.nav.offers', roles: ['brand'] },
  { to: '/console/challenges', labelKey: 'community.nav.challenges', roles: ['brand'] },
  { to: '/console/content-impact', labelKey: 'community.nav.impact', roles: ['brand'] },
  { to: '/console/moderation', labelKey: 'ops.nav.moderation', roles: ['moderator', 'admin'] },
  { to: '/console/finance', labelKey: 'ops.nav.finance', roles: ['finance', 'admin'] },
  { to: '/console/queues', labelKey: 'ops.nav.queues', roles: ['admin'] },
];

export function navFor(roles: readonly Role[]): ConsoleNavEntry[] {
  return CONSOLE_NAV.filter((entry) => entry.roles.some((role) => roles.includes(role)));
}

/** The console's roles: a member holding none of them has no console section. */
export function hasConsoleRole(roles: readonly Role[]): boolean {
  return navFor(roles).length > 0;
}
