import { useTranslation } from 'react-i18next';
import { Form, Link, useNavigation } from 'react-router';
import { LocalTime } from '../format/LocalTime';
import type { Problem } from '../components/FormProblem';

export interface DataExport {
  jobId: string;
  status: 'pending' | 'ready' | 'downloaded';
  finishedAt: string | null;
}

function VaultProblem({ problem }: { problem: Problem }) {
  const { t } = useTranslation();
  return (
    <p id="vault-problem" className="notice error" role="alert">
      {t([`vault.problem.${problem.code}`, 'vault.problem.other'], { message: problem.message })}
    </p>
  );
}

/** The account page's part for the member's data rights: a copy of their data, and erasure. */
export function PrivacySection({
  dataExport,
  problem,
  intent,
}: {
  dataExport: DataExport | null;
  problem: Problem | undefined;
  intent: string | undefined;
}) {
  const { t } = useTranslation();
  const busy = useNavigation().state === 'submitting';
  return (
    <>
      <section aria-labelledby="vault-export-title" className="stack">
        <h2 id="vault-export-title">{t('vault.exportTitle')}</h2>
        <p>{t('vault.exportIntro')}</p>
        {problem && intent === 'export' ? <VaultProblem problem={problem} /> : null}
        {dataExport?.status === 'pending' ? (
          <p className="notice" role="status">
            {t('vault.exportPending')}{' '}
            <Link to={`?export=${dataExport.jobId}`}>{t('vault.exportCheck')}</Link>
          </p>
        ) : null}
        {dataExport?.status === 'ready' ? (
          <p className="notice success" role="status">
            {t('vault.exportReady')}{' '}
            {dataExport.finishedAt ? <LocalTime iso={dataExport.finishedAt} /> : null}{' '}
            <a href={`/account/data-export/${dataExport.jobId}`} download>
              {t('vault.exportDownload')}
            </a>
          </p>
        ) : null}
        {dataExport?.status === 'downloaded' ? (
          <p className="notice" role="status">
            {t('vault.exportDownloaded')}
          </p>
        ) : null}
        <Form method="post">
          <button type="submit" name="intent" value="export" disabled={busy}>
            {t('vault.exportRequest')}
          </button>
        </Form>
      </section>
      <section aria-labelledby="vault-delete-title" className="stack">
        <h2 id="vault-delete-title">{t('vault.deleteTitle')}</h2>
        <p>{t('vault.deleteIntro')}</p>
        {problem && intent === 'delete' ? <VaultProblem problem={problem} /> : null}
        <Form
          method="post"
          className="stack"
          aria-describedby={problem && intent === 'delete' ? 'vault-problem' : undefined}
        >
          <label>
            {t('vault.deletePassword')}
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
          <button type="submit" name="intent" value="delete" className="danger" disabled={busy}>
            {t('vault.deleteConfirm')}
          </button>
        </Form>
      </section>
    </>
  );
}
