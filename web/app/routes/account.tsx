import { useTranslation } from 'react-i18next';
import {
  Link,
  redirect,
  useActionData,
  useLoaderData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor } from '../api/client.server';
import { clearToken, requireSameOrigin, signInRedirect } from '../auth/session.server';
import { problemOf, type Problem } from '../components/FormProblem';
import { PrivacySection, type DataExport } from '../components/PrivacySection';
import { metaTranslator } from '../i18n/meta';
import { toolsLinks } from '../tools/links';

export const links = toolsLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  if (!api.token) throw signInRedirect(request);
  // `?export=<jobId>`: the data export asked for, and whether it can be downloaded yet.
  const jobId = new URL(request.url).searchParams.get('export');
  if (!jobId || !/^dex_[0-9a-z]{26}$/.test(jobId)) return { dataExport: null };
  const { data } = await api.client.GET('/v1/me/data-export/{id}', {
    params: { path: { id: jobId } },
  });
  return { dataExport: (data ?? null) as DataExport | null };
}

type Outcome = Problem & { intent: string };

/** Asks for a data export (then shows its state), or erases the account and signs out. */
export async function action({
  request,
  context,
}: ActionFunctionArgs): Promise<Outcome | Response> {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  if (!api.token) return signInRedirect(request);
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  if (intent === 'export') {
    const { data, error, response } = await api.client.POST('/v1/me/data-export');
    if (!data) return { ...problemOf(response, error), intent };
    return redirect(`/account?export=${data.jobId}`);
  }
  const { error, response } = await api.client.DELETE('/v1/me', {
    body: { password: String(form.get('password') ?? '') },
  });
  if (!response.ok) return { ...problemOf(response, error), intent: 'delete' };
  return redirect('/?accountDeleted=1', {
    headers: { 'Set-Cookie': await clearToken(api.server) },
  });
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [{ title: `${t('account.title')} · cyberstall` }, { name: 'robots', content: 'noindex' }];
}

const SECTIONS = [
  { to: '/orders', key: 'orders' },
  { to: '/account/coupons', key: 'coupons' },
  { to: '/account/points', key: 'points' },
  { to: '/sell/listings', key: 'listings' },
  { to: '/sell/listings/new', key: 'newListing' },
  { to: '/sell/orders', key: 'toShip' },
  { to: '/notes/new', key: 'writeNote' },
] as const;

/** Where a member finds their own things: orders, coupons, points, and what they sell. */
export default function Account() {
  const { t } = useTranslation();
  const { dataExport } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  return (
    <section>
      <h1>{t('account.title')}</h1>
      <ul className="hub">
        {SECTIONS.map((section) => (
          <li key={section.key}>
            <Link to={section.to}>
              {t(`account.${section.key}`)}
              <span className="hint">{t(`account.${section.key}Hint`)}</span>
            </Link>
          </li>
        ))}
      </ul>
      <PrivacySection dataExport={dataExport} problem={outcome} intent={outcome?.intent} />
    </section>
  );
}
