import { useTranslation } from 'react-i18next';
import {
  Form,
  Link,
  redirect,
  useActionData,
  useLoaderData,
  useNavigation,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { requireSameOrigin } from '../../auth/session.server';
import { problemOf, type Problem } from '../../components/FormProblem';
import { OpsProblem } from '../../console/OpsProblem';
import { consoleAccess } from '../../console/access.server';
import { DiscountFields } from '../../console/DiscountFields';
import { isProblem, readDiscount } from '../../console/discount-form.server';
import { ConsoleProblem } from '../../console/Frame';
import { CONSOLE_NS } from '../../console/i18n';
import { consoleMetaTranslator } from '../../console/meta';
import { opsLinks } from '../../console/ops-links';
import { AirdropStatus } from '../../console/AirdropStatus';
import { usePolling } from '../../console/polling';
import { LocalTime } from '../../format/LocalTime';
import { formatMoney } from '../../format/money';
import { discountText } from '../../tools/discount';
import { unavailableIf } from '../../api/unavailable';

const DAY_MS = 24 * 3600 * 1000;

/** The brand's points offers with their results; an airdrop's job when one was started. */

export const links = opsLinks;
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await consoleAccess(request, context, ['brand']);
  const url = new URL(request.url);
  const cursor = url.searchParams.get('cursor') ?? undefined;
  const jobId = url.searchParams.get('job');
  const [offers, job] = await Promise.all([
    api.client.GET('/v1/brands/me/points-offers', {
      params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } },
    }),
    jobId ? api.client.GET('/v1/jobs/{id}', { params: { path: { id: jobId } } }) : null,
  ]);
  return unavailableIf([offers.response], {
    offers: offers.data?.data ?? [],
    nextCursor: offers.data?.nextCursor ?? null,
    failed: !offers.data,
    airdrop: job?.data ? { job: job.data, offerId: url.searchParams.get('offer') } : null,
  });
}

type ActionResult = (Problem & { offerId?: string }) | Response;

export async function action({ request, context }: ActionFunctionArgs): Promise<ActionResult> {
  requireSameOrigin(request);
  const { api } = await consoleAccess(request, context, ['brand']);
  const form = await request.formData();
  if (form.get('intent') === 'airdrop') {
    const offerId = String(form.get('offerId') ?? '');
    const result = await api.client.POST('/v1/campaigns/points-offers/{id}/airdrop', {
      params: { path: { id: offerId } },
    });
    if (!result.data) return { ...problemOf(result.response, result.error), offerId };
    const job = encodeURIComponent(result.data.jobId);
    return redirect(`/console/offers?job=${job}&offer=${encodeURIComponent(offerId)}`);
  }
  const discount = readDiscount(form);
  if (isProblem(discount)) return discount;
  const now = Date.now();
  const result = await api.client.POST('/v1/campaigns/points-offers', {
    body: {
      title: String(form.get('title') ?? '').trim(),
      pointsCost: Number(form.get('pointsCost')),
      coupon: { ...discount, validDays: Number(form.get('couponDays')) },
      budget: Number(form.get('budget')),
      perUserLimit: Number(form.get('perUserLimit')),
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + Number(form.get('offerDays')) * DAY_MS).toISOString(),
    },
  });
  if (!result.data) return problemOf(result.response, result.error);
  return redirect('/console/offers');
}

export function meta({ matches }: MetaArgs) {
  const t = consoleMetaTranslator(matches);
  return [
    { title: `${t('ops.offers.title')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export const ErrorBoundary = ConsoleProblem;

function NumberField(props: {
  id: string;
  name: string;
  label: string;
  value: number;
  max: number;
}) {
  return (
    <label htmlFor={props.id}>
      {props.label}
      <input
        id={props.id}
        name={props.name}
        type="number"
        min={1}
        max={props.max}
        step={1}
        defaultValue={props.value}
        required
      />
    </label>
  );
}

export default function PointsOffers() {
  const { offers, nextCursor, failed, airdrop } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const { t, i18n } = useTranslation(CONSOLE_NS);
  const running =
    airdrop !== null && (airdrop.job.state === 'waiting' || airdrop.job.state === 'active');
  usePolling(running);
  const number = (n: number) => n.toLocaleString(i18n.language);
  const formProblem = problem && !problem.offerId ? problem : undefined;
  return (
    <section>
      <h1>{t('ops.offers.title')}</h1>
      {airdrop ? <AirdropStatus job={airdrop.job} /> : null}
      <Form method="post" className="form-wide console-form" aria-labelledby="new-offer">
        <h2 id="new-offer">{t('ops.offers.new')}</h2>
        <OpsProblem problem={formProblem} />
        <label htmlFor="offer-title">
          {t('ops.offers.name')}
          <input id="offer-title" name="title" maxLength={200} required />
        </label>
        <div className="field-grid">
          <NumberField
            id="offer-cost"
            name="pointsCost"
            label={t('ops.offers.pointsCost')}
            value={100}
            max={1000000}
          />
          <NumberField
            id="offer-budget"
            name="budget"
            label={t('ops.offers.budget')}
            value={100}
            max={1000000}
          />
          <NumberField
            id="offer-limit"
            name="perUserLimit"
            label={t('ops.offers.perUserLimit')}
            value={1}
            max={100}
          />
          <NumberField
            id="offer-days"
            name="offerDays"
            label={t('ops.offers.offerDays')}
            value={14}
            max={365}
          />
          <NumberField
            id="offer-coupon-days"
            name="couponDays"
            label={t('ops.offers.couponDays')}
            value={30}
            max={365}
          />
        </div>
        <DiscountFields idPrefix="offer" />
        <button type="submit" className="primary" name="intent" value="create" disabled={busy}>
          {t('ops.offers.create')}
        </button>
      </Form>

      <h2>{t('ops.offers.list')}</h2>
      {failed ? (
        <p className="notice error" role="alert">
          {t('ops.unavailable')}
        </p>
      ) : offers.length === 0 ? (
        <p className="notice" role="status">
          {t('ops.offers.empty')}
        </p>
      ) : (
        <ul className="row-list">
          {offers.map((offer) => (
            <li key={offer.id} className="row-card no-thumb">
              <article className="row-body" aria-labelledby={`offer-${offer.id}`}>
                <h3 id={`offer-${offer.id}`} className="card-title">
                  {offer.title}
                </h3>
                <span>
                  {t('ops.offers.summary', {
                    points: number(offer.pointsCost),
                    discount: discountText(offer.coupon, i18n.language),
                  })}{' '}
                  · <span className="status">{t(`ops.offers.status.${offer.status}`)}</span>
                </span>
                <span className="card-meta">
                  <LocalTime iso={offer.startsAt} /> – <LocalTime iso={offer.endsAt} />
                </span>
                <dl className="facts stats">
                  <dt>{t('ops.offers.issued')}</dt>
                  <dd>
                    {number(offer.stats.issued)} / {number(offer.budget)}
                  </dd>
                  <dt>{t('ops.offers.redeemed')}</dt>
                  <dd>{number(offer.stats.redeemed)}</dd>
                  <dt>{t('ops.offers.revenue')}</dt>
                  <dd>
                    {offer.stats.currency
                      ? formatMoney(offer.stats.revenueAmount, offer.stats.currency, i18n.language)
                      : '—'}
                  </dd>
                </dl>
                {problem?.offerId === offer.id ? <OpsProblem problem={problem} /> : null}
                {offer.status === 'active' ? (
                  <Form method="post" className="actions">
                    <input type="hidden" name="offerId" value={offer.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="airdrop"
                      disabled={busy || running}
                      aria-describedby={`offer-${offer.id}`}
                    >
                      {t('ops.offers.airdrop')}
                    </button>
                  </Form>
                ) : null}
              </article>
            </li>
          ))}
        </ul>
      )}
      {nextCursor ? (
        <p className="more">
          <Link className="button" to={`?cursor=${encodeURIComponent(nextCursor)}`}>
            {t('ops.more')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
