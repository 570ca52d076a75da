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
import { DropReservations } from '../components/DropReservations';
import { DropTiming } from '../components/DropTiming';
import { Countdown } from '../format/Countdown';
import { formatMoney } from '../format/money';
import { useRevalidateAt } from '../format/useRevalidateAt';
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
  const [{ data: listing }, standing] = await Promise.all([
    api.client.GET('/v1/listings/{id}', { params: { path: { id: drop.listingId } } }),
    api.token
      ? api.client.GET('/v1/campaigns/drops/{id}/me', { params: { path: { id: drop.id } } })
      : undefined,
  ]);
  const language = await languageOf(request);
  return {
    drop,
    listing: listing ?? null,
    question: pickText(drop.puzzle.question, language),
    signedIn: Boolean(api.token),
    standing: standing?.data
      ? {
          attemptsLeft: standing.data.attemptsLeft,
          limitReached: standing.data.limitReached,
          reservations: standing.data.reservations.map((reservation) => ({
            expiresAt: reservation.expiresAt,
            purchasePath: reservation.purchaseUrl && sitePath(reservation.purchaseUrl, request),
          })),
        }
      : null,
    url: absoluteUrl(`/drops/${drop.id}`, request, api.server),
  };
}

/** purchaseUrl is absolute (PUBLIC_URL); the page links within this site. */
function sitePath(url: string, request: Request): string {
  const purchase = new URL(url, request.url);
  return purchase.pathname + purchase.search;
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
  return {
    kind: 'correct',
    expiresAt: data.reservation.expiresAt,
    purchasePath: sitePath(data.reservation.purchaseUrl, request),
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

/** Why a live drop shows no answer form to this viewer; null if it shows one. */
function closedBecause(
  drop: { soldOut: boolean },
  standing: { attemptsLeft: number; limitReached: boolean } | null,
): 'sold_out' | 'limit_reached' | 'attempts_exhausted' | null {
  if (standing?.limitReached) return 'limit_reached';
  if (drop.soldOut) return 'sold_out';
  if (standing?.attemptsLeft === 0) return 'attempts_exhausted';
  return null;
}

export default function DropPage() {
  const data = useLoaderData<typeof loader>();
  const { drop, listing, question, signedIn, standing } = data;
  const outcome = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const busy = useNavigation().state === 'submitting';
  const answered = outcome && 'kind' in outcome ? outcome : null;
  const solved = answered?.kind === 'correct';
  const isLive = drop.status === 'live';
  // A hint unlocks while the page is open: ask for the drop again then.
  useRevalidateAt(isLive || drop.status === 'scheduled' ? drop.nextHintAt : null, data);
  const held = solved ? [] : (standing?.reservations ?? []);
  const closed = isLive ? closedBecause(drop, standing) : null;
  return (
    <article className="narrow drop">
      <h1>{drop.title}</h1>
      <p className="badges">
        <span className={`badge badge-${drop.status}`}>{t(`drops.status.${drop.status}`)}</span>
        {isLive && drop.soldOut ? (
          <span className="badge badge-sold-out">{t('drops.soldOut')}</span>
        ) : null}
      </p>
      <DropTiming drop={drop} />
      {listing ? (
        <p>
          <Link to={`/listings/${listing.id}`}>{listing.title}</Link> ·{' '}
          {formatMoney(listing.priceAmount, listing.currency, i18n.language)}
        </p>
      ) : null}
      <DropReservations reservations={held} />
      {closed && !answered && held.length === 0 ? (
        <p className="notice closed">
          {closed === 'sold_out' ? t('drops.soldOutNotice') : t(`drops.refused.${closed}`)}
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
      {drop.puzzle.hints.length > 0 || (isLive && drop.nextHintAt) ? (
        <>
          <h2>{t('drops.hints')}</h2>
          <ul className="hints">
            {drop.puzzle.hints.map((hint) => {
              const text = pickText(hint.text, i18n.language);
              return (
                <li key={hint.afterHours} lang={text?.language}>
                  {text?.text}
                </li>
              );
            })}
          </ul>
          {isLive && drop.nextHintAt ? (
            <p className="hint">
              {t('drops.nextHint')} <Countdown until={drop.nextHintAt} />
            </p>
          ) : null}
        </>
      ) : null}
      {answered ? <Outcome outcome={answered} /> : null}
      {isLive && !solved && !closed ? (
        signedIn ? (
          <Form method="post" className="stack">
            <label>
              {t('drops.answer')}
              <input name="answer" autoComplete="off" required maxLength={500} />
            </label>
            <p className="hint">
              {standing
                ? t('drops.attemptsLeft', { count: standing.attemptsLeft })
                : t('drops.attemptsInfo', { count: drop.maxAttemptsPerUser })}
            </p>
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
