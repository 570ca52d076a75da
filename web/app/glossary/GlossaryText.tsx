import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { segmentText } from './highlight';

export interface NoteTerm {
  term: string;
  language: string;
  explanationCount: number;
  /** The best explanation for the viewer (their language first), if any. */
  explanation: { text: string; language: string; authorName: string | null } | null;
}

export const termPath = (term: string) => `/glossary/${encodeURIComponent(term)}`;

/**
 * A note's text with its glossary terms marked. Each is a button (keyboard and touch alike, not a
 * hover tooltip) that opens the term's explanation in a panel under the text.
 */
export function GlossaryText({
  text,
  terms,
  lang,
}: {
  text: string;
  terms: readonly NoteTerm[];
  lang?: string;
}) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const byTerm = new Map(terms.map((term) => [term.term, term]));
  const shown = open ? byTerm.get(open) : undefined;
  return (
    <>
      <p className="note-body" lang={lang}>
        {segmentText(
          text,
          terms.map((term) => term.term),
        ).map((segment, index) =>
          segment.term ? (
            <button
              key={index}
              type="button"
              className="glossary-term"
              aria-expanded={open === segment.term}
              aria-controls="glossary-panel"
              onClick={() => setOpen(open === segment.term ? null : segment.term)}
            >
              {segment.text}
            </button>
          ) : (
            segment.text
          ),
        )}
      </p>
      <div
        id="glossary-panel"
        className="glossary-panel"
        role="region"
        aria-label={t('glossary.panelLabel')}
        hidden={!shown}
        lang={i18n.language}
      >
        {shown ? (
          <>
            <p className="glossary-panel-term">
              <strong lang={shown.language}>{shown.term}</strong>
            </p>
            {shown.explanation ? (
              <p lang={shown.explanation.language}>{shown.explanation.text}</p>
            ) : (
              <p>{t('glossary.noExplanation')}</p>
            )}
            <p className="card-meta">
              {shown.explanation?.authorName
                ? `${t('glossary.explainedBy', { name: shown.explanation.authorName })} · `
                : ''}
              <Link to={termPath(shown.term)}>
                {t('glossary.allExplanations', { count: shown.explanationCount })}
              </Link>
            </p>
            <button type="button" className="link-button" onClick={() => setOpen(null)}>
              {t('glossary.close')}
            </button>
          </>
        ) : null}
      </div>
    </>
  );
}
