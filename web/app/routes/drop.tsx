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
import { DropTiming } from '../components/DropTiming';
import { Countdown } from '../format/Countdown';
import { formatMoney } from '../format/money';
import { absoluteUrl, summary } from '../format/share';
import { metaTranslator } from '../i18n/meta';
import { pickText } from '../i18n/pick-text';
import { languageOf } from '../i18n/preferences.server';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  const {
    data: drop,
    error,
    response,
  } = await api.client.GET('/v1/campaigns/drops/{id}', {
    params: { path: { id: params.id ?? '' } },
  });
  if (!drop) throw failure(response.status, error);
  const { data: listing } = await api.client.GET('/v1/listings/{id}', {
    params: { path: { id: drop.listingId } },
  });
  const language = await languageOf(request);
  return {
    drop,
    listing: listing ?? null,
    question: pickText(drop.puzzle.question, language),
    signedIn: Boolean(api.token),
    url: absoluteUrl(`/drops/${drop.id}`, request, api.server),
  };
}

type AttemptOutcome =
  | { kind: 'correct'; expiresAt: string; purchasePath: string }
  | { kind: 'wrong'; attemptsLeft: number }
  | { kind: 'refused'; code: string };

/** One answer; the API matches it (normalised) and, when right, holds a unit for the solver. */
export async function action({
  request,
  context,
  params,
}: ActionFunctionArgs): Promise<AttemptOutcome | Response> {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  if (!api.token) return signInRedirect(request);
  const answer = String((await request.formData()).get('answer') ?? '');
  const { data, error, response } = await api.client.POST('/v1/campaigns/drops/{id}/attempts', {
    params: { path: { id: params.id ?? '' } },
    body: { answer },
  });
  if (!data) return { kind: 'refused', code: error?.error.code ?? `http_${response.status}` };
  if (!data.correct) return { kind: 'wrong', attemptsLeft: data.attemptsLeft };
  // purchaseUrl is absolute (PUBLIC_URL); the page links within this site.
  const purchase = new URL(data.reservation.purchaseUrl, request.url);
  return {
    kind: 'correct',
    expiresAt: data.reservation.expiresAt,
    purchasePath: purchase.pathname + purchase.search,
  };
}

export function meta({ matches, loaderData }: MetaArgs<typeof loader>) {
  const t = metaTranslator(matches);
  if (!loaderData) return [{ title: `${t('notFound.title')} · cyberstall` }];
  const { drop, question, url } = loaderData;
  const description = summary(question?.text ?? t('drops.description'));
  return [
    { title: `${drop.title} · cyberstall` },
    { name: 'description', content: description },
    { property: 'og:type', content: 'website' },
    { property: 'og:site_name', content: 'cyberstall' },
    { property: 'og:title', content: drop.title },
    { property: 'og:description', content: description },
    { property: 'og:url', content: url },
    { tagName: 'link', rel: 'canonical', href: url },
  ];
}

function Outcome({ outcome }: { outcome: AttemptOutcome }) {
  const { t } = useTranslation();
  if (outcome.kind === 'correct')
    return (
      <div className="notice success" role="alert">
        <p>
          {t('drops.reserved')} <Countdown until={outcome.expiresAt} />
        </p>
        <p>
          <Link className="button primary" to={outcome.purchasePath}>
            {t('drops.buyNow')}
          </Link>
        </p>
      </div>
    );
  if (outcome.kind === 'wrong')
    return (
      <p className="notice error" role="alert">
        {t('drops.wrong', { count: outcome.attemptsLeft })}
      </p>
    );
  return (
    <p className="notice error" role="alert">
      {t([`drops.refused.${outcome.code}`, 'drops.refused.other'])}
    </p>
  );
}

export default function DropPage() {
  const { drop, listing, question, signedIn } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const busy = useNavigation().state === 'submitting';
  const solved = outcome && 'kind' in outcome && outcome.kind === 'correct';
  return (
    <article className="narrow drop">
      <h1>{drop.title}</h1>
      <p>
        <span className={`badge badge-${drop.status}`}>{t(`drops.status.${drop.status}`)}</span>
      </p>
      <DropTiming drop={drop} />
      {listing ? (
        <p>
          <Link to={`/listings/${listing.id}`}>{listing.title}</Link> ·{' '}
          {formatMoney(listing.priceAmount, listing.currency, i18n.language)}
        </p>
      ) : null}
      <h2>{t('drops.question')}</h2>
      {question ? (
        <blockquote className="question" lang={question.language}>
          {question.text}
        </blockquote>
      ) : null}
      {question && question.language.split('-')[0] !== i18n.language.split('-')[0] ? (
        <p className="hint">{t('drops.questionFallback')}</p>
      ) : null}
      {drop.puzzle.hints.length > 0 ? (
        <>
          <h2>{t('drops.hints')}</h2>
          <ul>
            {drop.puzzle.hints.map((hint) => {
              const text = pickText(hint.text, i18n.language);
              return (
                <li key={hint.afterHours} lang={text?.language}>
                  {text?.text}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {outcome && 'kind' in outcome ? <Outcome outcome={outcome} /> : null}
      {drop.status === 'live' && !solved ? (
        signedIn ? (
          <Form method="post" className="stack">
            <label>
              {t('drops.answer')}
              <input name="answer" autoComplete="off" required maxLength={500} />
            </label>
            <p className="hint">{t('drops.attemptsInfo', { count: drop.maxAttemptsPerUser })}</p>
            <button type="submit" className="primary" disabled={busy}>
              {t('drops.submit')}
            </button>
          </Form>
        ) : (
          <p>
            <Link to={`/signin?next=${encodeURIComponent(location.pathname)}`}>
              {t('drops.signInToPlay')}
            </Link>
          </p>
        )
      ) : null}
      {drop.status === 'ended' ? <p className="notice">{t('drops.endedNotice')}</p> : null}
    </article>
  );
}
