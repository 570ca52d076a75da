import { DateTime } from 'luxon';
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
import { requireSameOrigin } from '../../auth/session.server';
import { consoleAccess } from '../../console/access.server';
import { ChallengeForm, type ChallengeFormValues } from '../../console/ChallengeForm';
import { fieldErrorsOf, numberOf } from '../../console/drop-form.server';
import { ConsoleProblem } from '../../console/Frame';
import { CONSOLE_NS } from '../../console/i18n';
import { consoleMetaTranslator } from '../../console/meta';
import { opsLinks } from '../../console/ops-links';
import { fromLocalInput, toLocalInput } from '../../console/schedule';
import { LocalTime } from '../../format/LocalTime';
import { Tabs } from '../../tools/Tabs';
import { unavailableIf } from '../../api/unavailable';

export const links = opsLinks;

const DEFAULT_DAYS = 14;

/** The brand's own challenges (current ones, or ended ones) and the form for a new one. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, me } = await consoleAccess(request, context, ['brand']);
  const url = new URL(request.url);
  const isEnded = url.searchParams.get('status') === 'ended';
  const cursor = url.searchParams.get('cursor') ?? undefined;
  const list = me.brandId
    ? await api.client.GET('/v1/campaigns/challenges', {
        params: {
          query: {
            brandId: me.brandId,
            limit: 20,
            ...(isEnded ? { status: 'ended' as const } : {}),
            ...(cursor ? { cursor } : {}),
          },
        },
      })
    : null;
  const now = DateTime.now().toISO();
  const initial: ChallengeFormValues = {
    title: '',
    tag: '',
    startsAt: toLocalInput(now, me.timezone),
    endsAt: toLocalInput(DateTime.now().plus({ days: DEFAULT_DAYS }).toISO(), me.timezone),
    maxParticipants: '50',
    bonusPoints: '50',
  };
  return unavailableIf([list?.response], {
    zone: me.timezone,
    initial,
    isEnded,
    created: url.searchParams.get('created'),
    challenges: list?.data?.data ?? [],
    nextCursor: list?.data?.nextCursor ?? null,
    failed: list !== null && !list.data,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireSameOrigin(request);
  const { api, me } = await consoleAccess(request, context, ['brand']);
  const form = await request.formData();
  const text = (name: keyof ChallengeFormValues) => String(form.get(name) ?? '');
  const values: ChallengeFormValues = {
    title: text('title'),
    tag: text('tag'),
    startsAt: text('startsAt'),
    endsAt: text('endsAt'),
    maxParticipants: text('maxParticipants'),
    bonusPoints: text('bonusPoints'),
  };
  const { data, error, response } = await api.client.POST('/v1/campaigns/challenges', {
    // Typed values go as typed: the API names each field that is wrong.
    body: {
      title: values.title,
      tag: values.tag.trim().replace(/^#/, ''),
      startsAt: fromLocalInput(values.startsAt, me.timezone) ?? values.startsAt,
      endsAt: fromLocalInput(values.endsAt, me.timezone) ?? values.endsAt,
      maxParticipants: numberOf(values.maxParticipants),
      bonusPoints: numberOf(values.bonusPoints),
    } as never,
  });
  if (data) return redirect(`/console/challenges?created=${encodeURIComponent(data.id)}`);
  const errors = fieldErrorsOf(error, []);
  if (Object.keys(errors).length === 0) {
    const body = (error as { error?: { message?: string } } | undefined)?.error;
    errors.form = body?.message ?? `HTTP ${response.status}`;
  }
  return { values, errors };
}

export function meta({ matches }: MetaArgs) {
  const t = consoleMetaTranslator(matches);
  return [
    { title: `${t('community.challenges.title')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export const ErrorBoundary = ConsoleProblem;

export default function BrandChallenges() {
  const { zone, initial, isEnded, created, challenges, nextCursor, failed } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation(CONSOLE_NS);
  const number = (n: number) => n.toLocaleString(i18n.language);
  const more = new URLSearchParams(isEnded ? { status: 'ended' } : {});
  if (nextCursor) more.set('cursor', nextCursor);
  return (
    <section>
      <h1>{t('community.challenges.title')}</h1>
      <p className="hint">{t('community.challenges.intro')}</p>
      {created ? (
        <p className="notice success" role="status">
          {t('community.challenges.created')}{' '}
          <Link to={`/challenges/${created}`}>{t('community.challenges.view')}</Link>
        </p>
      ) : null}
      <ChallengeForm values={result?.values ?? initial} zone={zone} errors={result?.errors ?? {}} />

      <h2>{t('community.challenges.list')}</h2>
      <Tabs
        label={t('community.challenges.list')}
        tabs={[
          {
            to: '/console/challenges',
            label: t('community.challenges.current'),
            current: !isEnded,
          },
          {
            to: '/console/challenges?status=ended',
            label: t('community.challenges.ended'),
            current: isEnded,
          },
        ]}
      />
      {failed ? (
        <p className="notice error" role="alert">
          {t('frame.errorBody')}
        </p>
      ) : challenges.length === 0 ? (
        <p className="notice" role="status">
          {t(isEnded ? 'community.challenges.noneEnded' : 'community.challenges.empty')}
        </p>
      ) : (
        <ul className="row-list">
          {challenges.map((challenge) => (
            <li key={challenge.id} className="row-card no-thumb">
              <article className="row-body" aria-labelledby={`challenge-${challenge.id}`}>
                <h3 id={`challenge-${challenge.id}`} className="card-title">
                  <Link to={`/challenges/${challenge.id}`}>{challenge.title}</Link>
                </h3>
                <span>
                  #{challenge.tag} ·{' '}
                  <span className="status">
                    {t(`community.challenges.status.${challenge.status}`)}
                  </span>
                </span>
                <span className="card-meta">
                  <LocalTime iso={challenge.startsAt} /> – <LocalTime iso={challenge.endsAt} />
                </span>
                <dl className="facts stats">
                  <dt>{t('community.challenges.participants')}</dt>
                  <dd>
                    {number(challenge.participantCount)} / {number(challenge.maxParticipants)}
                  </dd>
                  <dt>{t('community.challenges.bonusPoints')}</dt>
                  <dd>{number(challenge.bonusPoints)}</dd>
                </dl>
              </article>
            </li>
          ))}
        </ul>
      )}
      {nextCursor ? (
        <p className="more">
          <Link className="button" to={`?${more.toString()}`}>
            {t('community.challenges.more')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
