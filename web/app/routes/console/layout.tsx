import { data, Outlet, type LoaderFunctionArgs, type ShouldRevalidateFunction } from 'react-router';
import { apiFor, failure } from '../../api/client.server';
import { signInRedirect } from '../../auth/session.server';
import type { ConsoleData } from '../../console/data';
import { ConsoleI18n, ConsoleNav, ConsoleProblem } from '../../console/Frame';
import { consoleLinks } from '../../console/links';
import { consoleMessagesFor } from '../../console/messages.server';
import { languageOf } from '../../i18n/preferences.server';

export const links = consoleLinks;

/** Who is signed in and what they may do, with the console's strings in their language. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  if (!api.token) throw signInRedirect(request);
  const { data: me, error, response } = await api.client.GET('/v1/me');
  if (response.status === 401) throw signInRedirect(request);
  if (!me) throw failure(response.status, error);
  const language = await languageOf(request);
  const body: ConsoleData = {
    roles: me.roles,
    brandId: me.brandId ?? null,
    timeZone: me.timezone,
    messages: await consoleMessagesFor(language),
  };
  return data(body);
}

/** Roles and strings change only with a form post (sign-in, language switch). */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  formMethod,
  defaultShouldRevalidate,
}) =>
  formMethod !== undefined && formMethod.toUpperCase() !== 'GET' ? defaultShouldRevalidate : false;

function Frame({ children }: { children: React.ReactNode }) {
  return (
    <ConsoleI18n>
      <div className="console">
        <ConsoleNav />
        <div className="console-body">{children}</div>
      </div>
    </ConsoleI18n>
  );
}

export default function ConsoleLayout() {
  return (
    <Frame>
      <Outlet />
    </Frame>
  );
}

export function ErrorBoundary() {
  return (
    <Frame>
      <ConsoleProblem />
    </Frame>
  );
}
