import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LocalTime } from '../format/LocalTime';
import type { Draft } from './drafts';

/** What this browser holds: drafts, notes waiting for a network, sent ones, and conflicts. */
export function DraftList({
  drafts,
  online,
  onOpen,
  onDiscard,
  onRetry,
}: {
  drafts: Draft[] | null;
  online: boolean;
  onOpen: (draft: Draft) => void;
  onDiscard: (draft: Draft) => void;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  if (drafts === null) return null;
  const waiting = drafts.some((draft) => draft.state === 'outbox');
  return (
    <section aria-labelledby="drafts-title">
      <h2 id="drafts-title">{t('composer.inBrowser')}</h2>
      {drafts.length === 0 ? (
        <p className="hint">{t('composer.noDrafts')}</p>
      ) : (
        <ul className="row-list">
          {drafts.map((draft) => (
            <li
              key={draft.clientId}
              className={`row-card no-thumb notice draft-state-${draft.state}`}
            >
              <div className="row-body">
                <span className="card-title">{draft.title || t('composer.untitled')}</span>
                <span className="status">{t(`composer.state.${draft.state}`)}</span>
                {draft.state === 'conflict' && draft.conflict ? (
                  <p className="error" role="alert">
                    {t(`composer.conflict.${draft.conflict.code}`, {
                      defaultValue: t('composer.conflict.other'),
                      message: draft.conflict.message,
                    })}
                  </p>
                ) : null}
                <span className="card-meta">
                  {t('composer.savedAt')} <LocalTime iso={draft.savedAt} />
                </span>
                <div className="actions">
                  {draft.state === 'sent' && draft.noteId ? (
                    <Link to={`/notes/${draft.noteId}`} className="button">
                      {t('composer.openNote')}
                    </Link>
                  ) : null}
                  {draft.state === 'draft' || draft.state === 'conflict' ? (
                    <button type="button" onClick={() => onOpen(draft)}>
                      {draft.state === 'conflict'
                        ? t('composer.reviseConflict')
                        : t('composer.open')}
                    </button>
                  ) : null}
                  {draft.state !== 'outbox' ? (
                    <button type="button" onClick={() => onDiscard(draft)}>
                      {draft.state === 'sent' ? t('composer.forget') : t('composer.discard')}
                    </button>
                  ) : null}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      {waiting && online ? (
        <p>
          <button type="button" onClick={onRetry}>
            {t('composer.retry')}
          </button>
        </p>
      ) : null}
    </section>
  );
}
