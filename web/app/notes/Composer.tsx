import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n/languages';
import { allDrafts, removeDraft, saveDraft, type Draft } from './drafts';
import { DraftList } from './DraftList';
import { keepPageOffline } from './offline';
import { syncOutbox, type SyncOutcome } from './sync';

export interface EditedNote {
  clientId: string;
  title: string;
  body: string;
  languages: string[];
  cultureTags: string[];
  version: number;
}

interface Fields {
  clientId: string;
  title: string;
  body: string;
  languages: string[];
  tags: string;
  baseVersion?: number;
}

const blank = (language: string): Fields => ({
  clientId: crypto.randomUUID(),
  title: '',
  body: '',
  languages: [language],
  tags: '',
});

const tagsOf = (text: string) =>
  text
    .split(/[\s,，、#]+/)
    .map((tag) => tag.trim())
    .filter(Boolean);

/**
 * Writes notes into this browser first (IndexedDB), then sends them when there is a network:
 * at once if online, else when the browser says it is back. Nothing is lost by closing the tab.
 */
export function Composer({ edited, authorId }: { edited: EditedNote | null; authorId: string }) {
  const { t, i18n } = useTranslation();
  const [fields, setFields] = useState<Fields>(() =>
    edited
      ? {
          clientId: edited.clientId,
          title: edited.title,
          body: edited.body,
          languages: edited.languages,
          tags: edited.cultureTags.join(' '),
          baseVersion: edited.version,
        }
      : blank(i18n.language),
  );
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [online, setOnline] = useState(true);
  const [offlineReady, setOfflineReady] = useState(false);
  const [outcome, setOutcome] = useState<SyncOutcome | null>(null);
  const [saved, setSaved] = useState<'draft' | 'outbox' | null>(null);
  const autosave = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const refresh = useCallback(async () => setDrafts(await allDrafts(authorId)), [authorId]);
  const sync = useCallback(async () => {
    if (!navigator.onLine) {
      setOutcome('offline');
      return;
    }
    const result = await syncOutbox(authorId);
    setOutcome(result);
    await refresh();
  }, [refresh, authorId]);

  useEffect(() => {
    setOnline(navigator.onLine);
    void refresh().then(sync);
    void keepPageOffline().then(setOfflineReady);
    const back = () => {
      setOnline(true);
      void sync();
    };
    const gone = () => setOnline(false);
    window.addEventListener('online', back);
    window.addEventListener('offline', gone);
    return () => {
      window.removeEventListener('online', back);
      window.removeEventListener('offline', gone);
    };
  }, [refresh, sync]);

  // The `online` event is a hint, not a promise (a captive portal, a flaky train connection):
  // while something waits in the outbox, the network is tried again every few seconds.
  const waiting = drafts?.some((draft) => draft.state === 'outbox') ?? false;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      setOnline(navigator.onLine);
      if (navigator.onLine) void sync();
    }, 3000);
    return () => clearInterval(timer);
  }, [waiting, sync]);

  const draftOf = (state: Draft['state']): Draft => ({
    clientId: fields.clientId,
    authorId,
    title: fields.title.trim(),
    body: fields.body.trim(),
    languages: fields.languages.length > 0 ? fields.languages : [i18n.language],
    cultureTags: tagsOf(fields.tags),
    writtenAt: new Date().toISOString(),
    ...(fields.baseVersion !== undefined ? { baseVersion: fields.baseVersion } : {}),
    state,
    savedAt: new Date().toISOString(),
  });

  const change = (next: Partial<Fields>) => {
    const updated = { ...fields, ...next };
    setFields(updated);
    setSaved(null);
    clearTimeout(autosave.current);
    // Kept as a draft while it is written: a closed tab or a dead battery loses nothing.
    autosave.current = setTimeout(() => {
      if (updated.title.trim() || updated.body.trim())
        void saveDraft({ ...draftOf('draft'), ...textOf(updated) }).then(refresh);
    }, 600);
  };

  const textOf = (value: Fields) => ({
    title: value.title.trim(),
    body: value.body.trim(),
    languages: value.languages.length > 0 ? value.languages : [i18n.language],
    cultureTags: tagsOf(value.tags),
  });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    clearTimeout(autosave.current);
    const intent = (event.nativeEvent as SubmitEvent).submitter?.getAttribute('value');
    const state = intent === 'draft' ? 'draft' : 'outbox';
    await saveDraft(draftOf(state));
    setSaved(state);
    setFields(blank(i18n.language));
    await refresh();
    if (state === 'outbox') await sync();
  };

  const open = (draft: Draft) => {
    setFields({
      clientId: draft.clientId,
      title: draft.title,
      body: draft.body,
      languages: draft.languages,
      tags: draft.cultureTags.join(' '),
      baseVersion:
        draft.state === 'conflict' && draft.conflict?.currentVersion
          ? draft.conflict.currentVersion
          : draft.baseVersion,
    });
    setSaved(null);
    document.getElementById('note-title')?.focus();
  };

  const discard = async (draft: Draft) => {
    await removeDraft(draft.clientId);
    if (draft.clientId === fields.clientId) setFields(blank(i18n.language));
    await refresh();
  };

  const toggleLanguage = (code: string, on: boolean) =>
    change({
      languages: on
        ? [...fields.languages, code]
        : fields.languages.filter((language) => language !== code),
    });

  return (
    <>
      <p className="notice" role="status" aria-live="polite">
        <span className="offline-state">
          {online ? t('composer.online') : t('composer.offline')}
        </span>{' '}
        {offlineReady ? t('composer.offlineReady') : ''}
        {outcome === 'signedOut' ? ` ${t('composer.signedOut')}` : ''}
        {outcome === 'failed' ? ` ${t('composer.failed')}` : ''}
      </p>
      {saved ? (
        <p className="notice success" role="status">
          {saved === 'draft'
            ? t('composer.savedDraft')
            : online
              ? t('composer.queuedOnline')
              : t('composer.queuedOffline')}
        </p>
      ) : null}
      <form className="stack form-wide" onSubmit={(event) => void submit(event)}>
        {fields.baseVersion !== undefined ? <p className="hint">{t('composer.editing')}</p> : null}
        <label>
          {t('composer.title')}
          <input
            id="note-title"
            required
            maxLength={200}
            value={fields.title}
            onChange={(event) => change({ title: event.target.value })}
          />
        </label>
        <label>
          {t('composer.body')}
          <textarea
            required
            maxLength={20000}
            rows={10}
            value={fields.body}
            onChange={(event) => change({ body: event.target.value })}
          />
        </label>
        <fieldset>
          <legend>{t('composer.languages')}</legend>
          <div className="checks">
            {LANGUAGES.map((language) => (
              <label key={language.code} className="inline" lang={language.code}>
                <input
                  type="checkbox"
                  checked={fields.languages.includes(language.code)}
                  onChange={(event) => toggleLanguage(language.code, event.target.checked)}
                />
                {language.name}
              </label>
            ))}
          </div>
        </fieldset>
        <label>
          {t('composer.tags')}
          <input
            value={fields.tags}
            aria-describedby="tags-hint"
            onChange={(event) => change({ tags: event.target.value })}
          />
        </label>
        <p id="tags-hint" className="hint">
          {t('composer.tagsHint')}
        </p>
        <div className="actions">
          <button type="submit" value="send" className="primary">
            {t('composer.send')}
          </button>
          <button type="submit" value="draft">
            {t('composer.keepDraft')}
          </button>
        </div>
      </form>
      <DraftList
        drafts={drafts}
        online={online}
        onOpen={open}
        onDiscard={(draft) => void discard(draft)}
        onRetry={() => void sync()}
      />
    </>
  );
}
