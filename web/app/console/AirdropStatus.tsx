import { useTranslation } from 'react-i18next';
import type { components } from '../api/schema';
import { CONSOLE_NS } from './i18n';
import { Progress } from './Progress';

type Job = components['schemas']['Job'];

/** An airdrop job: its progress bar while it runs, what it issued once done. */
export function AirdropStatus({ job }: { job: Job }) {
  const { t, i18n } = useTranslation(CONSOLE_NS);
  const number = (n: number) => n.toLocaleString(i18n.language);
  if (job.state === 'failed')
    return (
      <p className="notice error" role="alert">
        {t('ops.offers.airdropFailed')}
      </p>
    );
  if (job.state === 'completed')
    return (
      <p className="notice success" role="status">
        {t('ops.offers.airdropDone', { issued: number(job.result?.issued ?? job.progress.done) })}
        {job.result?.stoppedBy ? ` ${t(`ops.offers.stoppedBy.${job.result.stoppedBy}`)}` : ''}
      </p>
    );
  return (
    <Progress
      id="airdrop-progress"
      label={t('ops.offers.airdropRunning')}
      done={job.progress.done}
      total={job.progress.total}
      text={t('ops.progress', {
        done: number(job.progress.done),
        total: number(job.progress.total),
      })}
    />
  );
}
