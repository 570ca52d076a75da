import { useTranslation } from 'react-i18next';
import {
  Form,
  redirect,
  useActionData,
  useLoaderData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { requireSameOrigin } from '../../auth/session.server';
import { problemOf, type Problem } from '../../components/FormProblem';
import { OpsProblem } from '../../console/OpsProblem';
import { consoleAccess } from '../../console/access.server';
import { ExportList } from '../../console/ExportList';
import {
  ORDER_STATUSES,
  isDirectRange,
  readExportForm,
  type OrderStatus,
} from '../../console/finance-range';
import { ConsoleProblem } from '../../console/Frame';
import { CONSOLE_NS } from '../../console/i18n';
import { consoleMetaTranslator } from '../../console/meta';
import { opsLinks } from '../../console/ops-links';
import { usePolling } from '../../console/polling';
import { unavailableIf } from '../../api/unavailable';

const ROLES = ['finance', 'admin'] as const;

/** The export form, and the exports made by jobs (newest first, shared by finance staff). */

export const links = opsLinks;
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, me } = await consoleAccess(request, context, ROLES);
  const { data, response } = await api.client.GET('/v1/finance/exports', {
    params: { query: { limit: 20 } },
  });
  const zones = Intl.supportedValuesOf('timeZone');
  return unavailableIf([response], {
    exports: data?.data ?? [],
    failed: !data,
    zones: zones.includes('UTC') ? zones : ['UTC', ...zones],
    timeZone: me.timezone,
    started: new URL(request.url).searchParams.get('export'),
  });
}

/**
 * A range of at most a month downloads at once (GET /v1/finance/orders.csv, streamed); a longer
 * one becomes an export job whose file appears in the list when it is written.
 */
export async function action({
  request,
  context,
}: ActionFunctionArgs): Promise<Problem | Response> {
  requireSameOrigin(request);
  const { api } = await consoleAccess(request, context, ROLES);
  const input = readExportForm(await request.formData());
  if ('code' in input) return input;
  const range = input;
  if (isDirectRange(range.from, range.to)) {
    const query = new URLSearchParams({ from: range.from, to: range.to, timezone: range.timezone });
    if (range.statuses.length > 0) query.set('status', range.statuses.join(','));
    return redirect(`/console/finance/orders.csv?${query.toString()}`);
  }
  const result = await api.client.POST('/v1/finance/exports', {
    body: {
      from: range.from,
      to: range.to,
      timezone: range.timezone,
      ...(range.statuses.length > 0 ? { status: range.statuses } : {}),
    },
  });
  if (!result.data) return problemOf(result.response, result.error);
  return redirect(`/console/finance?export=${encodeURIComponent(result.data.id)}`);
}

export function meta({ matches }: MetaArgs) {
  const t = consoleMetaTranslator(matches);
  return [
    { title: `${t('ops.finance.title')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export const ErrorBoundary = ConsoleProblem;

function monthStart(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
}

export default function Finance() {
  const { exports, failed, zones, timeZone, started } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>();
  const { t } = useTranslation(CONSOLE_NS);
  usePolling(exports.some((item) => item.status === 'pending' || item.status === 'running'));
  const today = new Date().toISOString().slice(0, 10);
  return (
    <section>
      <h1>{t('ops.finance.title')}</h1>
      {/* A native post: a short range answers with the file itself, which the browser saves. */}
      <Form
        method="post"
        reloadDocument
        className="form-wide console-form"
        aria-labelledby="export-title"
      >
        <h2 id="export-title">{t('ops.finance.exportOrders')}</h2>
        <p className="card-meta">{t('ops.finance.howItWorks')}</p>
        <OpsProblem problem={problem} />
        <div className="field-grid">
          <label htmlFor="export-from">
            {t('ops.finance.from')}
            <input id="export-from" name="from" type="date" defaultValue={monthStart()} required />
          </label>
          <label htmlFor="export-to">
            {t('ops.finance.to')}
            <input id="export-to" name="to" type="date" defaultValue={today} required />
          </label>
          <label htmlFor="export-zone">
            {t('ops.finance.timezone')}
            <select id="export-zone" name="timezone" defaultValue={timeZone}>
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset className="choice">
          <legend>{t('ops.finance.statuses')}</legend>
          {ORDER_STATUSES.map((status: OrderStatus) => (
            <label key={status}>
              <input type="checkbox" name="status" value={status} />
              {t(`ops.finance.status.${status}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary">
          {t('ops.finance.export')}
        </button>
      </Form>
      <h2>{t('ops.finance.exports')}</h2>
      {failed ? (
        <p className="notice error" role="alert">
          {t('ops.unavailable')}
        </p>
      ) : (
        <ExportList exports={exports} started={started} />
      )}
    </section>
  );
}
