import { useTranslation } from 'react-i18next';
import type { components } from '../api/schema';
import { LocalTime } from '../format/LocalTime';
import { CONSOLE_NS } from './i18n';
import { Progress } from './Progress';

type FinanceExport = components['schemas']['FinanceExport'];

/** Export jobs, newest first: a bar while one is written, its file once done. */
export function ExportList({
  exports,
  started,
}: {
  exports: FinanceExport[];
  started: string | null;
}) {
  const { t, i18n } = useTranslation(CONSOLE_NS);
  if (exports.length === 0)
    return (
      <p className="notice" role="status">
        {t('ops.finance.noExports')}
      </p>
    );
  return (
    <ul className="row-list">
      {exports.map((item) => {
        const headingId = `export-${item.id}`;
        return (
          <li
            key={item.id}
            className={`row-card no-thumb${item.id === started ? ' just-started' : ''}`}
          >
            <article className="row-body" aria-labelledby={headingId}>
              <h3 id={headingId} className="card-title">
                {t('ops.finance.range', { from: item.from, to: item.to, zone: item.timezone })}
              </h3>
              <span className="card-meta">
                {t('ops.finance.requested')} <LocalTime iso={item.createdAt} /> ·{' '}
                <span className="status">{t(`ops.finance.exportStatus.${item.status}`)}</span>
              </span>
              {item.status === 'pending' || item.status === 'running' ? (
                <Progress
                  id={`export-progress-${item.id}`}
                  label={t('ops.finance.writing')}
                  done={item.progress.rowsDone}
                  total={null}
                  text={t('ops.finance.rowsDone', {
                    count: item.progress.rowsDone,
                    rows: item.progress.rowsDone.toLocaleString(i18n.language),
                  })}
                />
              ) : null}
              {item.status === 'done' ? (
                <p className="actions">
                  <span>
                    {t('ops.finance.rowsDone', {
                      count: item.progress.rowsDone,
                      rows: item.progress.rowsDone.toLocaleString(i18n.language),
                    })}
                  </span>{' '}
                  <a
                    className="button"
                    href={`/console/finance/exports/${item.id}/orders.csv`}
                    download
                    aria-describedby={headingId}
                  >
                    {t('ops.finance.download')}
                  </a>
                </p>
              ) : null}
            </article>
          </li>
        );
      })}
    </ul>
  );
}
