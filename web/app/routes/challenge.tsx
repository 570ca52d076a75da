import { useTranslation } from 'react-i18next';
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor, failure } from '../api/client.server';
import { requireSameOrigin, signInRedirect } from '../auth/session.server';
import { problemOf } from '../components/FormProblem';
import { ScopedProblem } from '../glossary/ScopedProblem';
import { LocalTime } from '../format/LocalTime';
import { absoluteUrl } from '../format/share';
import { metaTranslator } from '../i18n/meta';

/** A brand's writing challenge: who takes part, what they wrote, and a seat to take. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  const { data, error, response } = await api.client.GET('/v1/campaigns/challenges/{id}', {
    params: { path: { id: params.id ?? '' } },
  });
  if (!data) throw failure(response.status === 400 ? 404 : response.status, error);
  return {
    challenge: data,
    signedIn: api.token !== null,
    url: absoluteUrl(`/challenges/${data.id}`, request, api.server),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  if (!api.token) return signInRedirect(request);
  const { data, error, response } = await api.client.POST('/v1/campaigns/challenges/{id}/join', {
    params: { path: { id: params.id ?? '' } },
  });
  return data ? null : problemOf(response, error);
}

export function meta({ matches, loaderData }: MetaArgs<typeof loader>) {
  const t = metaTranslator(matches);
  if (!loaderData) return [{ title: `${t('notFound.title')} · cyberstall` }];
  const { challenge, url } = loaderData;
  const description = t('challenges.pitch', {
    brand: challenge.brandName ?? '',
    tag: challenge.tag,
    points: String(challenge.bonusPoints),
  });
  return [
    { title: `${challenge.title} · cyberstall` },
    { name: 'description', content: description },
    { property: 'og:title', content: challenge.title },
    { property: 'og:description', content: description },
    { property: 'og:url', content: url },
  ];
}

export default function ChallengePage() {
  const { challenge, signedIn } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>() ?? undefined;
  const busy = useNavigation().state === 'submitting';
  const location = useLocation();
  const { t } = useTranslation();
  const seatsLeft = challenge.maxParticipants - challenge.participantCount;
  const tagLink = `/notes?tag=${encodeURIComponent(challenge.tag)}`;
  return (
    <article className="narrow-article challenge">
      <p>
        <Link to="/challenges">{t('challenges.title')}</Link>
      </p>
      <h1>{challenge.title}</h1>
      <p>
        <span className={`badge badge-${challenge.status}`}>
          {t(`challenges.status.${challenge.status}`)}
        </span>
      </p>
      <p>
        {t('challenges.pitch', {
          brand: challenge.brandName ?? t('challenges.aBrand'),
          tag: challenge.tag,
          points: challenge.bonusPoints,
        })}
      </p>
      <dl className="facts">
        <dt>{t('challenges.tag')}</dt>
        <dd>
          <Link className="badge" to={tagLink}>
            #{challenge.tag}
          </Link>
        </dd>
        <dt>{t('challenges.window')}</dt>
        <dd>
          <LocalTime iso={challenge.startsAt} /> – <LocalTime iso={challenge.endsAt} />
        </dd>
        <dt>{t('challenges.seats')}</dt>
        <dd>
          {t('challenges.seatsTaken', {
            count: challenge.participantCount,
            max: challenge.maxParticipants,
          })}
        </dd>
      </dl>
      {challenge.me ? (
        <div className="notice success" role="status">
          <p>
            {challenge.me.bonusEarned
              ? t('challenges.bonusEarned', { count: challenge.me.bonusPoints })
              : t('challenges.joined', { tag: challenge.tag })}
          </p>
          {challenge.status !== 'ended' ? (
            <p>
              <Link className="button primary" to="/notes/new">
                {t('challenges.writeEntry')}
              </Link>
            </p>
          ) : null}
        </div>
      ) : challenge.status === 'ended' ? (
        <p className="notice">{t('challenges.ended')}</p>
      ) : seatsLeft <= 0 ? (
        <p className="notice">{t('challenges.problem.challenge_full')}</p>
      ) : signedIn ? (
        <Form method="post" aria-describedby={problem ? 'form-problem' : undefined}>
          <ScopedProblem problem={problem} scope="challenges" />
          <button type="submit" className="button primary" disabled={busy}>
            {t('challenges.join')}
          </button>
        </Form>
      ) : (
        <p>
          <Link to={`/signin?next=${encodeURIComponent(location.pathname)}`}>
            {t('challenges.signInToJoin')}
          </Link>
        </p>
      )}
      <h2>{t('challenges.entries', { count: challenge.entryCount })}</h2>
      {challenge.entries.length === 0 ? (
        <p className="notice" role="status">
          {t('challenges.noEntries')}
        </p>
      ) : (
        <ul className="row-list">
          {challenge.entries.map((entry) => (
            <li key={entry.noteId} className="row-card no-thumb">
              <div className="row-body">
                <Link to={`/notes/${entry.noteId}`} className="card-title">
                  {entry.title}
                </Link>
                <span className="card-meta">
                  {entry.authorName ?? t('notes.someone')} · <LocalTime iso={entry.publishedAt} />
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('challenges.participants')}</h2>
      {challenge.participants.length === 0 ? (
        <p className="notice">{t('challenges.noParticipants')}</p>
      ) : (
        <ul className="tag-list">
          {challenge.participants.map((participant) => (
            <li key={participant.memberId}>
              <Link className="badge" to={`/stalls/${participant.memberId}`}>
                {participant.displayName ?? t('notes.someone')}
                {participant.bonusEarned ? ' ★' : ''}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
