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

/** Which term is open, and in which text: one panel at a time, under that text. */
export type OpenTerm = { term: string; place: string } | null;

export function useOpenTerm() {
  return useState<OpenTerm>(null);
}

/**
 * A note's text (its title or its body) with its glossary terms marked. Each is a button
 * (keyboard and touch alike, not a hover tooltip) that opens the term's explanation in a panel
 * under the text; `open` is shared by the note's texts so that one panel shows at a time.
 */
export function GlossaryText({
  text,
  terms,
  lang,
  as: Tag = 'p',
  place = 'body',
  open,
  onOpen,
}: {
  text: string;
  terms: readonly NoteTerm[];
  lang?: string;
  as?: 'p' | 'h1';
  place?: string;
  open: OpenTerm;
  onOpen: (open: OpenTerm) => void;
}) {
  const { t, i18n } = useTranslation();
  const byTerm = new Map(terms.map((term) => [term.term, term]));
  const openHere = open?.place === place ? open.term : null;
  const shown = openHere ? byTerm.get(openHere) : undefined;
  const panelId = place === 'body' ? 'glossary-panel' : `glossary-panel-${place}`;
  return (
    <>
      <Tag className={Tag === 'p' ? 'note-body' : undefined} lang={lang}>
        {segmentText(
          text,
          terms.map((term) => term.term),
        ).map((segment, index) =>
          segment.term ? (
            <button
              key={index}
              type="button"
              className="glossary-term"
              aria-expanded={openHere === segment.term}
              aria-controls={panelId}
              onClick={() =>
                onOpen(openHere === segment.term ? null : { term: segment.term, place })
              }
            >
              {segment.text}
            </button>
          ) : (
            segment.text
          ),
        )}
      </Tag>
      <div
        id={panelId}
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
            <button type="button" className="link-button" onClick={() => onOpen(null)}>
              {t('glossary.close')}
            </button>
          </>
        ) : null}
      </div>
    </>
  );
}
