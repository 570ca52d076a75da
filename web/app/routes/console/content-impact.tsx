import { useTranslation } from 'react-i18next';
import { Link, useLoaderData, type LoaderFunctionArgs, type MetaArgs } from 'react-router';
import { consoleAccess } from '../../console/access.server';
import { ConsoleProblem } from '../../console/Frame';
import { CONSOLE_NS } from '../../console/i18n';
import { consoleMetaTranslator } from '../../console/meta';
import { formatMoney } from '../../format/money';

/** "Bought through this note": what each note linking the brand's listings brought it. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await consoleAccess(request, context, ['brand']);
  const cursor = new URL(request.url).searchParams.get('cursor') ?? undefined;
  const { data } = await api.client.GET('/v1/brands/me/content-impact', {
    params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } },
  });
  return { rows: data?.data ?? [], nextCursor: data?.nextCursor ?? null, failed: !data };
}

export function meta({ matches }: MetaArgs) {
  const t = consoleMetaTranslator(matches);
  return [
    { title: `${t('community.impact.title')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export const ErrorBoundary = ConsoleProblem;

export default function ContentImpact() {
  const { rows, nextCursor, failed } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation(CONSOLE_NS);
  return (
    <section>
      <h1>{t('community.impact.title')}</h1>
      <p className="hint">{t('community.impact.intro')}</p>
      {failed ? (
        <p className="notice error" role="alert">
          {t('frame.errorBody')}
        </p>
      ) : rows.length === 0 ? (
        <div className="notice" role="status">
          <p>{t('community.impact.empty')}</p>
        </div>
      ) : (
        <ul className="row-list">
          {rows.map((row) => (
            <li key={`${row.noteId}:${row.currency}`} className="row-card no-thumb">
              <div className="row-body">
                <Link to={`/notes/${row.noteId}`} className="card-title">
                  {row.title}
                </Link>
                <span>{t('community.impact.by', { name: row.authorName ?? row.authorId })}</span>
                <span>
                  {t('community.impact.orders', { count: row.orders })} ·{' '}
                  {t('community.impact.revenue', {
                    amount: formatMoney(row.revenueAmount, row.currency, i18n.language),
                  })}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
      {nextCursor ? (
        <p className="more">
          <Link className="button" to={`?cursor=${encodeURIComponent(nextCursor)}`}>
            {t('community.impact.more')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
