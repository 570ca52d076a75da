import { useTranslation } from 'react-i18next';
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { requireSameOrigin } from '../../auth/session.server';
import { FormProblem, problemOf, type Problem } from '../../components/FormProblem';
import { consoleAccess } from '../../console/access.server';
import { ConsoleProblem } from '../../console/Frame';
import { CONSOLE_NS } from '../../console/i18n';
import { consoleMetaTranslator } from '../../console/meta';
import { formatInZone } from '../../console/schedule';
import { Tabs } from '../../tools/Tabs';

export const ErrorBoundary = ConsoleProblem;

const FILTERS = ['all', 'scheduled', 'live', 'ended', 'canceled'] as const;
type Filter = (typeof FILTERS)[number];

/** The brand's drops in any status, newest first, with edit, stats and cancel. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await consoleAccess(request, context, ['brand']);
  const search = new URL(request.url).searchParams;
  const asked = search.get('status') ?? 'all';
  const filter: Filter = (FILTERS as readonly string[]).includes(asked) ? (asked as Filter) : 'all';
  const cursor = search.get('cursor') ?? undefined;
  const { data } = await api.client.GET('/v1/brands/me/drops', {
    params: {
      query: {
        limit: 20,
        ...(filter === 'all' ? {} : { status: filter }),
        ...(cursor ? { cursor } : {}),
      },
    },
  });
  return {
    filter,
    drops: data?.data ?? [],
    nextCursor: data?.nextCursor ?? null,
    failed: !data,
    saved: search.get('saved'),
  };
}

export async function action({
  request,
  context,
}: ActionFunctionArgs): Promise<(Problem & { dropId: string }) | null> {
  requireSameOrigin(request);
  const { api } = await consoleAccess(request, context, ['brand']);
  const dropId = String((await request.formData()).get('dropId') ?? '');
  const result = await api.client.POST('/v1/campaigns/drops/{id}/cancel', {
    params: { path: { id: dropId } },
  });
  if (!result.data) return { ...problemOf(result.response, result.error), dropId };
  return null;
}

export function meta({ matches }: MetaArgs) {
  const t = consoleMetaTranslator(matches);
  return [
    { title: `${t('campaigns.list.title')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export default function ConsoleDrops() {
  const { filter, drops, nextCursor, failed, saved } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const { t, i18n } = useTranslation(CONSOLE_NS);
  return (
    <section>
      <div className="page-head">
        <h1>{t('campaigns.list.title')}</h1>
        <Link to="/console/drops/new" className="button primary">
          {t('campaigns.list.new')}
        </Link>
      </div>
      {saved ? (
        <p className="notice success" role="status">
          {t('campaigns.list.saved')}
        </p>
      ) : null}
      <Tabs
        label={t('campaigns.list.filter')}
        tabs={FILTERS.map((name) => ({
          to: name === 'all' ? '/console/drops' : `/console/drops?status=${name}`,
          label: t(`campaigns.status.${name}`),
          current: name === filter,
        }))}
      />
      {failed ? (
        <p className="notice error" role="alert">
          {t('frame.errorBody')}
        </p>
      ) : drops.length === 0 ? (
        <div className="notice" role="status">
          <p>{t(filter === 'all' ? 'campaigns.list.emptyAll' : 'campaigns.list.empty')}</p>
        </div>
      ) : (
        <ul className="row-list">
          {drops.map((drop) => (
            <li key={drop.id} className="row-card no-thumb">
              <div className="row-body">
                <Link to={`/console/drops/${drop.id}`} className="card-title">
                  {drop.title}
                </Link>
                <span>
                  <span className={`badge badge-${drop.status}`}>
                    {t(`campaigns.status.${drop.status}`)}
                  </span>{' '}
                  {t('campaigns.list.window', {
                    start: formatInZone(drop.startsAt, drop.timezone, i18n.language),
                    end: formatInZone(drop.endsAt, drop.timezone, i18n.language),
                  })}
                </span>
                <span>{t('campaigns.list.stock', { count: drop.stock })}</span>
                {problem?.dropId === drop.id ? <FormProblem problem={problem} /> : null}
                <div className="actions">
                  <Link
                    to={`/console/drops/${drop.id}`}
                    className="button"
                    aria-label={`${t('campaigns.list.stats')}: ${drop.title}`}
                  >
                    {t('campaigns.list.stats')}
                  </Link>
                  {drop.status === 'scheduled' ? (
                    <Link
                      to={`/console/drops/${drop.id}/edit`}
                      className="button"
                      aria-label={`${t('campaigns.list.edit')}: ${drop.title}`}
                    >
                      {t('campaigns.list.edit')}
                    </Link>
                  ) : null}
                  {drop.status === 'scheduled' || drop.status === 'live' ? (
                    <Form method="post">
                      <input type="hidden" name="dropId" value={drop.id} />
                      <button
                        type="submit"
                        disabled={busy}
                        aria-label={`${t('campaigns.list.cancel')}: ${drop.title}`}
                      >
                        {t('campaigns.list.cancel')}
                      </button>
                    </Form>
                  ) : null}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      {nextCursor ? (
        <p className="more">
          <Link
            className="button"
            to={`?${filter === 'all' ? '' : `status=${filter}&`}cursor=${encodeURIComponent(nextCursor)}`}
          >
            {t('campaigns.list.more')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
