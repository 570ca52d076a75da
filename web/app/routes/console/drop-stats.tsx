import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLoaderData, type LoaderFunctionArgs, type MetaArgs } from 'react-router';
import { consoleAccess } from '../../console/access.server';
import { fillBuckets } from '../../console/activity';
import { loadDropStats, type DropStatsData } from '../../console/drop-stats.server';
import { ConsoleProblem } from '../../console/Frame';
import { CONSOLE_NS } from '../../console/i18n';
import { consoleMetaTranslator } from '../../console/meta';
import { formatInZone } from '../../console/schedule';
import { formatMoney } from '../../format/money';

export const ErrorBoundary = ConsoleProblem;

/** The chart's library is fetched only here, once the page runs in the browser. */
const ActivityChart = lazy(() => import('../../console/ActivityChart'));

/** While a drop runs (or is about to open) the page asks again this often. */
const REFRESH_MS = 3000;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, me } = await consoleAccess(request, context, ['brand']);
  return loadDropStats(api, params.id ?? '', me.brandId);
}

export function meta({ matches, loaderData }: MetaArgs<typeof loader>) {
  const t = consoleMetaTranslator(matches);
  return [
    { title: `${t('campaigns.stats.title')}: ${loaderData?.drop.title ?? ''} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

function useLiveStats(initial: DropStatsData) {
  return useQuery({
    queryKey: ['drop-stats', initial.drop.id],
    queryFn: async (): Promise<DropStatsData> => {
      const response = await fetch(`/console/drops/${initial.drop.id}/stats.json`, {
        headers: { Accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`stats: ${response.status}`);
      return (await response.json()) as DropStatsData;
    },
    initialData: initial,
    refetchInterval: (query) => {
      const status = query.state.data?.drop.status;
      return status === 'live' || status === 'scheduled' ? REFRESH_MS : false;
    },
    refetchIntervalInBackground: false,
  });
}

function Figures({ stats }: { stats: DropStatsData['stats'] }) {
  const { t, i18n } = useTranslation(CONSOLE_NS);
  const number = (value: number) => new Intl.NumberFormat(i18n.language).format(value);
  const figures: Array<[string, string]> = [
    ['attempts', number(stats.attempts)],
    ['participants', number(stats.participants)],
    ['solves', number(stats.solves)],
    ['reservations', number(stats.reservations)],
    ['purchases', number(stats.purchases)],
    ['unitsSold', number(stats.unitsSold)],
    [
      'revenue',
      stats.currency ? formatMoney(stats.revenueAmount, stats.currency, i18n.language) : '—',
    ],
    [
      'conversion',
      new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 }).format(
        stats.conversionRate,
      ),
    ],
    ['stockLeft', number(stats.stockLeft)],
  ];
  return (
    <dl className="stat-grid">
      {figures.map(([key, value]) => (
        <div key={key} className="stat" data-stat={key}>
          <dt>{t(`campaigns.stats.${key}`)}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Live({ initial }: { initial: DropStatsData }) {
  const { t, i18n } = useTranslation(CONSOLE_NS);
  const { data, isError } = useLiveStats(initial);
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const { drop, stats } = data;
  const activity = stats.activity ?? { bucket: 'minute' as const, points: [] };
  const points = fillBuckets(
    activity.points,
    activity.bucket,
    drop.status === 'live' ? Date.now() : null,
  );
  const tick = (at: number) =>
    new Intl.DateTimeFormat(i18n.language, {
      hour: 'numeric',
      minute: '2-digit',
      ...(activity.bucket === 'hour' ? { day: 'numeric', month: 'short' } : {}),
      timeZone: drop.timezone,
    }).format(new Date(at));
  return (
    <>
      <div className="page-head">
        <h1>{drop.title}</h1>
        <Link to="/console/drops" className="button">
          {t('campaigns.stats.back')}
        </Link>
      </div>
      <p>
        <span className={`badge badge-${drop.status}`}>{t(`campaigns.status.${drop.status}`)}</span>{' '}
        {t('campaigns.list.window', {
          start: formatInZone(drop.startsAt, drop.timezone, i18n.language),
          end: formatInZone(drop.endsAt, drop.timezone, i18n.language),
        })}
      </p>
      <p className="hint" role="status">
        {drop.status === 'live' || drop.status === 'scheduled'
          ? t('campaigns.stats.refreshing')
          : t('campaigns.stats.final')}
        {isError ? ` ${t('campaigns.stats.refreshFailed')}` : ''}
      </p>
      <Figures stats={stats} />
      <figure className="activity">
        <figcaption>
          <h2>{t(`campaigns.stats.chart.${activity.bucket}`)}</h2>
        </figcaption>
        {points.length === 0 ? (
          <p className="notice">{t('campaigns.stats.noActivity')}</p>
        ) : mounted ? (
          <div className="chart">
            <Suspense fallback={null}>
              <ActivityChart
                points={points}
                labels={{
                  attempts: t('campaigns.stats.attempts'),
                  solves: t('campaigns.stats.solves'),
                }}
                formatTick={tick}
              />
            </Suspense>
          </div>
        ) : null}
        {points.length > 0 ? (
          <p className="hint">
            {t('campaigns.stats.chartLabel', { attempts: stats.attempts, solves: stats.solves })}
          </p>
        ) : null}
      </figure>
    </>
  );
}

export default function DropStats() {
  const initial = useLoaderData<typeof loader>();
  const [client] = useState(() => new QueryClient());
  return (
    <section className="drop-stats">
      <QueryClientProvider client={client}>
        <Live initial={initial} />
      </QueryClientProvider>
    </section>
  );
}
