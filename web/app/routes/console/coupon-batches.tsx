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
import { usePolling } from '../../console/polling';
import { Progress } from '../../console/Progress';
import { LocalTime } from '../../format/LocalTime';
import { formatMoney } from '../../format/money';
import { discountText } from '../../tools/discount';
import { unavailableIf } from '../../api/unavailable';

const DAY_MS = 24 * 3600 * 1000;

/** The brand's coupon batches, newest first, with their progress and redemptions. */

export const links = opsLinks;
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await consoleAccess(request, context, ['brand']);
  const cursor = new URL(request.url).searchParams.get('cursor') ?? undefined;
  const { data, response } = await api.client.GET('/v1/brands/me/coupon-batches', {
    params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } },
  });
  return unavailableIf([response], {
    batches: data?.data ?? [],
    nextCursor: data?.nextCursor ?? null,
    failed: !data,
  });
}

export async function action({
  request,
  context,
}: ActionFunctionArgs): Promise<Problem | Response> {
  requireSameOrigin(request);
  const { api } = await consoleAccess(request, context, ['brand']);
  const form = await request.formData();
  const discount = readDiscount(form);
  if (isProblem(discount)) return discount;
  const days = Number(form.get('validDays'));
  const result = await api.client.POST('/v1/brands/me/coupon-batches', {
    body: {
      count: Number(form.get('count')),
      ...discount,
      expiresAt: new Date(Date.now() + (Number.isFinite(days) ? days : 0) * DAY_MS).toISOString(),
    },
  });
  if (!result.data) return problemOf(result.response, result.error);
  return redirect(`/console/coupons?created=${encodeURIComponent(result.data.id)}`);
}

export function meta({ matches }: MetaArgs) {
  const t = consoleMetaTranslator(matches);
  return [
    { title: `${t('ops.coupons.title')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export const ErrorBoundary = ConsoleProblem;

export default function CouponBatches() {
  const { batches, nextCursor, failed } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const { t, i18n } = useTranslation(CONSOLE_NS);
  usePolling(batches.some((batch) => batch.status !== 'ready'));
  const number = (n: number) => n.toLocaleString(i18n.language);
  return (
    <section>
      <h1>{t('ops.coupons.title')}</h1>
      <Form method="post" className="form-wide console-form" aria-labelledby="new-batch">
        <h2 id="new-batch">{t('ops.coupons.new')}</h2>
        <OpsProblem problem={problem} />
        <div className="field-grid">
          <label htmlFor="batch-count">
            {t('ops.coupons.count')}
            <input
              id="batch-count"
              name="count"
              type="number"
              min={1}
              max={100000}
              step={1}
              defaultValue={100}
              required
            />
          </label>
          <label htmlFor="batch-days">
            {t('ops.coupons.validDays')}
            <input
              id="batch-days"
              name="validDays"
              type="number"
              min={1}
              max={365}
              step={1}
              defaultValue={30}
              required
            />
          </label>
        </div>
        <DiscountFields idPrefix="batch" />
        <button type="submit" className="primary" disabled={busy}>
          {t('ops.coupons.create')}
        </button>
      </Form>

      <h2>{t('ops.coupons.list')}</h2>
      {failed ? (
        <p className="notice error" role="alert">
          {t('ops.unavailable')}
        </p>
      ) : batches.length === 0 ? (
        <p className="notice" role="status">
          {t('ops.coupons.empty')}
        </p>
      ) : (
        <ul className="row-list">
          {batches.map((batch) => (
            <li key={batch.id} className="row-card no-thumb">
              <article className="row-body" aria-labelledby={`batch-${batch.id}`}>
                <h3 id={`batch-${batch.id}`} className="card-title">
                  {t('ops.coupons.batchTitle', {
                    count: batch.count,
                    countText: number(batch.count),
                    discount: discountText(batch, i18n.language),
                  })}
                </h3>
                <span className="card-meta">
                  {t('ops.coupons.created')} <LocalTime iso={batch.createdAt} /> ·{' '}
                  {t('ops.coupons.expires')} <LocalTime iso={batch.expiresAt} />
                  {batch.minSpendAmount !== null
                    ? ` · ${t('ops.coupons.minSpend', {
                        amount: formatMoney(
                          batch.minSpendAmount,
                          batch.currency ?? 'USD',
                          i18n.language,
                        ),
                      })}`
                    : ''}
                </span>
                {batch.status === 'ready' ? (
                  <>
                    <span>
                      {t('ops.coupons.redeemed', {
                        redeemed: number(batch.redeemedCount),
                        count: batch.count,
                        countText: number(batch.count),
                      })}
                    </span>
                    <p className="actions">
                      <a
                        className="button"
                        href={`/console/coupons/${batch.id}/codes.csv`}
                        download
                        aria-describedby={`batch-${batch.id}`}
                      >
                        {t('ops.coupons.download')}
                      </a>
                    </p>
                  </>
                ) : (
                  <Progress
                    id={`batch-progress-${batch.id}`}
                    label={t('ops.coupons.generating')}
                    done={batch.progress.done}
                    total={batch.progress.total}
                    text={t('ops.progress', {
                      done: number(batch.progress.done),
                      total: number(batch.progress.total),
                    })}
                  />
                )}
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
