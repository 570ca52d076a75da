import { useEffect, useMemo } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import {
  data,
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
  type HeadersFunction,
  type LinksFunction,
  type LoaderFunctionArgs,
  type ShouldRevalidateFunction,
} from 'react-router';
import { apiFor } from './api/client.server';
import { Header } from './components/Header';
import { useNonce } from './context';
import { createI18n } from './i18n/i18n';
import { DEFAULT_LANGUAGE } from './i18n/languages';
import { messagesFor } from './i18n/messages.server';
import { languageOf, timeZoneCookieOf } from './i18n/preferences.server';
import { browserTimeZone, rememberTimeZone } from './i18n/time-zone-cookie';
import { NotFound } from './components/NotFound';
import stylesheet from './styles.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const language = await languageOf(request);
  const api = await apiFor(request, context);
  let viewer: {
    id: string;
    displayName: string;
    timezone: string;
    roles: string[];
  } | null = null;
  if (api.token) {
    const { data: me } = await api.client.GET('/v1/me');
    if (me)
      viewer = { id: me.id, displayName: me.displayName, timezone: me.timezone, roles: me.roles };
  }
  const messages = await messagesFor(language);
  return data(
    {
      language,
      messages,
      viewer,
      timeZone: viewer?.timezone ?? timeZoneCookieOf(request) ?? 'UTC',
    },
    { headers: { 'Content-Language': language } },
  );
}

export type RootData = Awaited<ReturnType<typeof loader>>['data'];

/** The language the page is written in (every page's Vary is set in src/web/web-app.ts). */
export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const language = loaderHeaders.get('Content-Language');
  return language ? { 'Content-Language': language } : new Headers();
};

/** The viewer, language and strings change only when a form is posted (sign in, language). */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  formMethod,
  defaultShouldRevalidate,
}) =>
  formMethod !== undefined && formMethod.toUpperCase() !== 'GET' ? defaultShouldRevalidate : false;

export function useRootData(): RootData | undefined {
  return useRouteLoaderData('root') as RootData | undefined;
}

/** Remembers the browser's zone so the next server render shows times in it. */
function useRememberTimeZone(current: string | undefined): void {
  useEffect(() => {
    // Marks the page interactive (browser tests wait for it before using controls).
    document.documentElement.dataset.hydrated = 'true';
    // A task of its own: building the DateTimeFormat costs ~30 ms on a phone's CPU, which would
    // otherwise lengthen hydration's last task.
    const timer = setTimeout(() => {
      const zone = browserTimeZone();
      if (zone && zone !== current) rememberTimeZone(zone);
    }, 0);
    return () => clearTimeout(timer);
  }, [current]);
}

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRootData();
  const nonce = useNonce();
  const language = root?.language ?? DEFAULT_LANGUAGE;
  const messages = root?.messages;
  const i18n = useMemo(() => createI18n(language, messages ?? {}), [language, messages]);
  useRememberTimeZone(root?.viewer ? undefined : root?.timeZone);
  return (
    <html lang={language}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          <Header />
          <main id="main">{children}</main>
        </I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFound />;
  return (
    <section className="notice" aria-labelledby="error-title">
      <title>{t('error.title', 'Something went wrong')}</title>
      <h1 id="error-title">{t('error.title', 'Something went wrong')}</h1>
      <p>{t('error.body', 'The page could not be shown. Please try again in a moment.')}</p>
      <p>
        <a href="/">{t('notFound.home', 'Back to the storefront')}</a>
      </p>
    </section>
  );
}
