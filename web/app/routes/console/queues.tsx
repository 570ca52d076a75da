import { useTranslation } from 'react-i18next';
import {
  Form,
  redirect,
  useActionData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { requireSameOrigin } from '../../auth/session.server';
import { problemOf, type Problem } from '../../components/FormProblem';
import { consoleAccess } from '../../console/access.server';
import { ConsoleProblem } from '../../console/Frame';
import { CONSOLE_NS } from '../../console/i18n';
import { consoleMetaTranslator } from '../../console/meta';
import { opsLinks } from '../../console/ops-links';
import { OpsProblem } from '../../console/OpsProblem';

export const links = opsLinks;
export async function loader({ request, context }: LoaderFunctionArgs) {
  await consoleAccess(request, context, ['admin']);
  return null;
}

/**
 * Trades the admin's session for the dashboard's pass: the API answers with the cookie
 * (HttpOnly, Secure, SameSite=Strict, Path=/admin), handed on to the browser with the redirect.
 */
export async function action({
  request,
  context,
}: ActionFunctionArgs): Promise<Problem | Response> {
  requireSameOrigin(request);
  const { api } = await consoleAccess(request, context, ['admin']);
  const result = await api.client.POST('/v1/admin/queue-dashboard/passes');
  const cookie = result.response.headers.get('Set-Cookie');
  if (!result.data || !cookie) return problemOf(result.response, result.error);
  return redirect(result.data.url, { headers: { 'Set-Cookie': cookie } });
}

export function meta({ matches }: MetaArgs) {
  const t = consoleMetaTranslator(matches);
  return [
    { title: `${t('ops.queues.title')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export const ErrorBoundary = ConsoleProblem;

export default function Queues() {
  const problem = useActionData<typeof action>();
  const { t } = useTranslation(CONSOLE_NS);
  return (
    <section>
      <h1>{t('ops.queues.title')}</h1>
      <p>{t('ops.queues.intro')}</p>
      <p className="card-meta">{t('ops.queues.pass')}</p>
      <OpsProblem problem={problem} />
      {/* A document post: the browser must store the cookie and then load the dashboard itself. */}
      <Form method="post" reloadDocument>
        <button type="submit" className="primary">
          {t('ops.queues.open')}
        </button>
      </Form>
    </section>
  );
}
