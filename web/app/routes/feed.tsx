import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Link,
  useLoaderData,
  useRevalidator,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor } from '../api/client.server';
import { metaTranslator } from '../i18n/meta';
import { timeZoneCookieOf } from '../i18n/preferences.server';
import { browserTimeZone, rememberTimeZone } from '../i18n/time-zone-cookie';
import { NoteRow } from '../notes/NoteRow';
import { toolsLinks } from '../tools/links';
import { unavailableIf } from '../api/unavailable';

export const links = toolsLinks;

const PAGE_SIZE = 20;

/**
 * The community feed (GET /v1/feed), a page at a time. Whose Friday it is: a member's own zone
 * (the API reads it from the account), a visitor's the browser's (the `tz` cookie), else UTC.
 * A cursor carries the feed it came from, so a Friday's order continues past midnight.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  const cursor = new URL(request.url).searchParams.get('cursor') ?? undefined;
  const visitorZone = timeZoneCookieOf(request);
  const [feed, me] = await Promise.all([
    api.client.GET('/v1/feed', {
      params: {
        query: {
          limit: PAGE_SIZE,
          ...(visitorZone ? { timezone: visitorZone } : {}),
          ...(cursor ? { cursor } : {}),
        },
      },
    }),
    api.token ? api.client.GET('/v1/me') : null,
  ]);
  const memberZone = me?.data?.timezone;
  return unavailableIf([feed.response], {
    mode: feed.data?.mode ?? 'ranked',
    notes: feed.data?.data ?? [],
    nextCursor: feed.data?.nextCursor ?? null,
    failed: !feed.data,
    isFirstPage: !cursor,
    zone: memberZone ?? visitorZone ?? 'UTC',
    isMembersZone: memberZone !== undefined,
  });
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [
    { title: `${t('feed.title')} · cyberstall` },
    { name: 'description', content: t('feed.description') },
  ];
}

/**
 * A first visit has no `tz` cookie yet, so its first page was read in UTC: once the browser
 * says its zone, the page is read again in it (once: a zone the server refuses stays UTC).
 */
function useVisitorZone(zone: string, shouldFollow: boolean): void {
  const { revalidate } = useRevalidator();
  const followed = useRef(false);
  useEffect(() => {
    if (!shouldFollow || followed.current) return;
    const browser = browserTimeZone();
    if (!browser || browser === zone) return;
    followed.current = true;
    rememberTimeZone(browser);
    void revalidate();
  }, [zone, shouldFollow, revalidate]);
}

export default function FeedPage() {
  const { mode, notes, nextCursor, failed, isFirstPage, zone, isMembersZone } =
    useLoaderData<typeof loader>();
  const { t } = useTranslation();
  useVisitorZone(zone, isFirstPage && !isMembersZone);
  return (
    <section>
      <div className="page-head">
        <h1>{t('feed.title')}</h1>
        <Link to="/notes/new" className="button primary">
          {t('notes.write')}
        </Link>
      </div>
      {failed ? null : (
        <div className={`feed-mode notice${mode === 'random' ? ' friday' : ''}`} data-mode={mode}>
          <p>
            <strong>{t(mode === 'random' ? 'feed.friday' : 'feed.ranked')}</strong>
          </p>
          <p>{t(mode === 'random' ? 'feed.fridayHow' : 'feed.rankedHow', { zone })}</p>
        </div>
      )}
      {failed ? (
        <p className="notice error" role="alert">
          {t('notes.unavailable')}
        </p>
      ) : notes.length === 0 ? (
        <p className="notice" role="status">
          {isFirstPage ? t('notes.empty') : t('feed.end')}
        </p>
      ) : (
        <ul className="row-list">
          {notes.map((note) => (
            <NoteRow key={note.id} note={note} />
          ))}
        </ul>
      )}
      <p className="more">
        {nextCursor ? (
          <Link className="button" to={`?cursor=${encodeURIComponent(nextCursor)}`}>
            {t('feed.more')}
          </Link>
        ) : null}{' '}
        {isFirstPage ? null : <Link to="/feed">{t('feed.first')}</Link>}
      </p>
    </section>
  );
}
