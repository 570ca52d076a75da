import { useTranslation } from 'react-i18next';
import { Link, useLoaderData, type LoaderFunctionArgs, type MetaArgs } from 'react-router';
import { apiFor } from '../api/client.server';
import { LocalTime } from '../format/LocalTime';
import { metaTranslator } from '../i18n/meta';
import { unavailableIf } from '../api/unavailable';

/** Brands' writing challenges that are open or about to open, newest first. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  const cursor = new URL(request.url).searchParams.get('cursor') ?? undefined;
  const { data, response } = await api.client.GET('/v1/campaigns/challenges', {
    params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } },
  });
  return unavailableIf([response], {
    challenges: data?.data ?? [],
    nextCursor: data?.nextCursor ?? null,
    failed: !data,
  });
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [
    { title: `${t('challenges.title')} · cyberstall` },
    { name: 'description', content: t('challenges.description') },
  ];
}

export default function ChallengesPage() {
  const { challenges, nextCursor, failed } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('challenges.title')}</h1>
      <p className="hint">{t('challenges.description')}</p>
      {failed ? (
        <p className="notice error" role="alert">
          {t('challenges.unavailable')}
        </p>
      ) : challenges.length === 0 ? (
        <p className="notice" role="status">
          {t('challenges.empty')}
        </p>
      ) : (
        <ul className="row-list">
          {challenges.map((challenge) => (
            <li key={challenge.id} className="row-card no-thumb">
              <div className="row-body">
                <Link to={`/challenges/${challenge.id}`} className="card-title">
                  {challenge.title}
                </Link>
                <span>
                  {challenge.brandName} · #{challenge.tag} ·{' '}
                  {t('challenges.bonus', { count: challenge.bonusPoints })}
                </span>
                <span className="card-meta">
                  {t(`challenges.status.${challenge.status}`)} ·{' '}
                  {t('challenges.seatsTaken', {
                    count: challenge.participantCount,
                    max: challenge.maxParticipants,
                  })}{' '}
                  · <LocalTime iso={challenge.endsAt} />
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
      {nextCursor ? (
        <p className="more">
          <Link className="button" to={`?cursor=${encodeURIComponent(nextCursor)}`}>
            {t('challenges.more')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
