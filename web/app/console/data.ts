import { useRouteLoaderData } from 'react-router';
import type { Messages } from '../i18n/i18n';
import type { Role } from './nav';

/** What the console layout's loader (`routes/console/layout.tsx`, route id `console`) gives. */
export interface ConsoleData {
  roles: Role[];
  brandId: string | null;
  /** The member's own zone (a brand schedules its drops in it). */
  timeZone: string;
  /** The console's strings in the viewer's language, by area. */
  messages: Messages;
}

export function useConsoleData(): ConsoleData | undefined {
  return useRouteLoaderData('console') as ConsoleData | undefined;
}
