import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFetcher } from 'react-router';
import type { components } from '../api/schema';
import type { Problem } from '../components/FormProblem';
import { OpsProblem } from './OpsProblem';
import { CONSOLE_NS } from './i18n';
import { NotePreview } from './NotePreview';

type Note = components['schemas']['Note'];
export type Decision = { decided: 'approved' | 'rejected'; noteId: string; title: string };
type Answer = Decision | (Problem & { noteId: string });

const SHORTCUTS_KEY = 'cs-moderation-shortcuts';

/** Keys typed into a field are the moderator's words, never shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

function NoteCard({
  note,
  selected,
  onSelect,
  onDecided,
}: {
  note: Note;
  selected: boolean;
  onSelect: () => void;
  onDecided: (answer: Decision) => void;
}) {
  const { t } = useTranslation(CONSOLE_NS);
  const fetcher = useFetcher<Answer>();
  const busy = fetcher.state !== 'idle';
  const answer = fetcher.data;
  // Told as soon as the answer arrives: once the queue reloads, this card is gone.
  useEffect(() => {
    if (answer && 'decided' in answer) onDecided(answer);
  }, [answer, onDecided]);
  const problem = answer && !('decided' in answer) ? answer : undefined;
  const headingId = `note-${note.id}`;
  return (
    <article
      className={`row-card no-thumb moderation-card${selected ? ' selected' : ''}`}
      aria-labelledby={headingId}
      tabIndex={-1}
      data-note-id={note.id}
      onFocus={onSelect}
    >
      <NotePreview note={note} headingId={headingId} />
      <OpsProblem problem={problem} />
      <div className="moderation-actions">
        <fetcher.Form method="post">
          <input type="hidden" name="noteId" value={note.id} />
          <input type="hidden" name="title" value={note.title} />
          <button
            type="submit"
            className="primary"
            name="intent"
            value="approve"
            disabled={busy}
            aria-keyshortcuts="A"
            data-action="approve"
            aria-describedby={headingId}
          >
            {t('ops.moderation.approve')}
          </button>
        </fetcher.Form>
        <fetcher.Form method="post" className="reject-form">
          <input type="hidden" name="noteId" value={note.id} />
          <input type="hidden" name="title" value={note.title} />
          <label htmlFor={`reason-${note.id}`}>{t('ops.moderation.reason')}</label>
          <input
            id={`reason-${note.id}`}
            name="reason"
            required
            maxLength={500}
            autoComplete="off"
            aria-keyshortcuts="R"
            data-action="reason"
            onKeyDown={(event) => {
              if (event.key === 'Escape') event.currentTarget.closest('article')?.focus();
            }}
          />
          <button type="submit" name="intent" value="reject" disabled={busy}>
            {t('ops.moderation.reject')}
          </button>
        </fetcher.Form>
      </div>
    </article>
  );
}

/**
 * The held notes, one selected at a time. Single-key shortcuts (WCAG 2.1.4: they can be turned
 * off, and never fire while typing): j / k move, a approves, r goes to the reason field.
 */
export function ModerationQueue({ notes }: { notes: Note[] }) {
  const { t } = useTranslation(CONSOLE_NS);
  const [selected, setSelected] = useState(0);
  const [shortcuts, setShortcuts] = useState(true);
  const [said, setSaid] = useState('');
  const list = useRef<HTMLOListElement>(null);
  const moved = useRef(false);

  useEffect(() => {
    setShortcuts(window.localStorage.getItem(SHORTCUTS_KEY) !== 'off');
  }, []);

  const card = useCallback(
    (index: number) =>
      list.current?.querySelectorAll<HTMLElement>('article.moderation-card')[index] ?? null,
    [],
  );

  // After a decision the list is one shorter: the same place now holds the next note.
  const count = notes.length;
  const clamped = Math.min(selected, Math.max(count - 1, 0));
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    card(clamped)?.focus();
  }, [clamped, count, card]);

  const onDecided = useCallback(
    (decision: Decision) => {
      moved.current = true;
      setSaid(t(`ops.moderation.${decision.decided}`, { title: decision.title }));
    },
    [t],
  );

  useEffect(() => {
    if (!shortcuts) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const move = (to: number) => {
        event.preventDefault();
        const next = Math.max(0, Math.min(count - 1, to));
        setSelected(next);
        card(next)?.focus();
      };
      if (event.key === 'j') move(clamped + 1);
      else if (event.key === 'k') move(clamped - 1);
      else if (event.key === 'a' || event.key === 'r') {
        const target = card(clamped)?.querySelector<HTMLElement>(
          `[data-action="${event.key === 'a' ? 'approve' : 'reason'}"]`,
        );
        if (!target) return;
        event.preventDefault();
        if (event.key === 'a') target.click();
        else target.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shortcuts, clamped, count, card]);

  return (
    <>
      <section className="shortcuts" aria-labelledby="shortcuts-title">
        <h2 id="shortcuts-title">{t('ops.moderation.shortcuts.title')}</h2>
        <dl className="facts">
          <dt>
            <kbd>j</kbd> / <kbd>k</kbd>
          </dt>
          <dd>{t('ops.moderation.shortcuts.move')}</dd>
          <dt>
            <kbd>a</kbd>
          </dt>
          <dd>{t('ops.moderation.shortcuts.approve')}</dd>
          <dt>
            <kbd>r</kbd>
          </dt>
          <dd>{t('ops.moderation.shortcuts.reject')}</dd>
          <dt>
            <kbd>Esc</kbd>
          </dt>
          <dd>{t('ops.moderation.shortcuts.escape')}</dd>
        </dl>
        <label className="check">
          <input
            type="checkbox"
            checked={shortcuts}
            onChange={(event) => {
              setShortcuts(event.target.checked);
              window.localStorage.setItem(SHORTCUTS_KEY, event.target.checked ? 'on' : 'off');
            }}
          />
          {t('ops.moderation.shortcuts.enabled')}
        </label>
      </section>
      <p className="visually-hidden" role="status">
        {said}
      </p>
      {count === 0 ? (
        <p className="notice" role="status">
          {t('ops.moderation.empty')}
        </p>
      ) : (
        <ol className="row-list" ref={list} aria-label={t('ops.moderation.queue')}>
          {notes.map((note, index) => (
            <li key={note.id}>
              <NoteCard
                note={note}
                selected={index === clamped}
                onSelect={() => setSelected(index)}
                onDecided={onDecided}
              />
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
