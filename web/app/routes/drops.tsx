import { useTranslation } from 'react-i18next';
import { Link, useLoaderData, type LoaderFunctionArgs, type MetaArgs } from 'react-router';
import { apiFor } from '../api/client.server';
import { unavailableIf } from '../api/unavailable';
import { DropTiming } from '../components/DropTiming';
import { metaTranslator } from '../i18n/meta';

export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  const [live, scheduled] = await Promise.all([
    api.client.GET('/v1/campaigns/drops', { params: { query: { status: 'live', limit: 50 } } }),
    api.client.GET('/v1/campaigns/drops', {
      params: { query: { status: 'scheduled', limit: 50 } },
    }),
  ]);
  const failed = !live.data || !scheduled.data;
  return unavailableIf([live.response, scheduled.response], {
    drops: [...(live.data?.data ?? []), ...(scheduled.data?.data ?? [])],
    failed,
  });
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [
    { title: `${t('drops.title')} · cyberstall` },
    { name: 'description', content: t('drops.description') },
    { property: 'og:title', content: t('drops.title') },
    { property: 'og:description', content: t('drops.description') },
  ];
}

export default function Drops() {
  const { drops, failed } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('drops.title')}</h1>
      <p>{t('drops.description')}</p>
      {failed ? (
        <p className="notice error" role="alert">
          {t('drops.unavailable')}
        </p>
      ) : null}
      {drops.length === 0 && !failed ? (
        <p className="notice" role="status">
          {t('drops.empty')}
        </p>
      ) : (
        <ul className="drop-list">
          {drops.map((drop) => (
            <li key={drop.id} className="card">
              <Link to={`/drops/${drop.id}`} className="card-title">
                {drop.title}
              </Link>
              <p className="badges">
                <span className={`badge badge-${drop.status}`}>
                  {t(`drops.status.${drop.status}`)}
                </span>
                {drop.status === 'live' && drop.soldOut ? (
                  <span className="badge badge-sold-out">{t('drops.soldOut')}</span>
                ) : null}
              </p>
              <DropTiming drop={drop} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
