import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../format/money';
import { pickText } from '../i18n/pick-text';
import type { Language } from '../i18n/languages';
import {
  filled,
  LANGUAGE_CODES,
  usedHints,
  type DropFormValues,
  type ListingChoice,
  type PreviewStrings,
} from './drop-fields';
import { CONSOLE_NS } from './i18n';
import { dropWindow, formatInZone } from './schedule';

/**
 * The drop page as a buyer reading each language will see it before it opens: the page's own
 * words in that language, the riddle in it (or the language the buyer page falls back to), and
 * the hints with the hour each appears.
 */
export function DropPreview({
  values,
  zone,
  listing,
  strings,
}: {
  values: DropFormValues;
  zone: string;
  listing: ListingChoice | undefined;
  strings: Record<Language, PreviewStrings>;
}) {
  const { t, i18n } = useTranslation(CONSOLE_NS);
  const [shown, setShown] = useState<Language>('en');
  const words = strings[shown];
  const question = pickText(filled(values.question), shown);
  const window = dropWindow(values.startsAt, zone, Number(values.durationHours));
  return (
    <section className="drop-preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{t('campaigns.form.previewTitle')}</h2>
      <div role="tablist" aria-label={t('campaigns.form.previewLanguage')} className="tabs">
        {LANGUAGE_CODES.map((code) => (
          <button
            key={code}
            type="button"
            role="tab"
            id={`preview-tab-${code}`}
            aria-selected={code === shown}
            aria-controls="preview-panel"
            className={code === shown ? 'tab current' : 'tab'}
            onClick={() => setShown(code)}
          >
            {strings[code].name}
          </button>
        ))}
      </div>
      <div
        id="preview-panel"
        role="tabpanel"
        aria-labelledby={`preview-tab-${shown}`}
        lang={shown}
        className="preview-page"
      >
        <p className="preview-title">{values.title || t('campaigns.form.untitled')}</p>
        <p>
          <span className="badge badge-scheduled">{words.scheduled}</span>
        </p>
        {window ? (
          <p className="timing">
            {words.opensIn}: {formatInZone(window.startsAt, zone, shown)}
          </p>
        ) : null}
        {listing ? (
          <p>
            {listing.title} · {formatMoney(listing.priceAmount, listing.currency, shown)}
          </p>
        ) : null}
        <p className="preview-heading">{words.question}</p>
        {question ? (
          <>
            <blockquote className="question" lang={question.language}>
              {question.text}
            </blockquote>
            {question.language.split('-')[0] !== shown.split('-')[0] ? (
              <p className="hint">{words.questionFallback}</p>
            ) : null}
          </>
        ) : (
          <p className="hint" lang={i18n.language}>
            {t('campaigns.form.noQuestion')}
          </p>
        )}
        {usedHints(values).length > 0 ? (
          <>
            <p className="preview-heading">{words.hints}</p>
            <ul>
              {usedHints(values).map((hint) => {
                const text = pickText(hint.text, shown);
                return (
                  <li key={hint.row}>
                    <span lang={text?.language}>{text?.text ?? '—'}</span>{' '}
                    <span className="hint" lang={i18n.language}>
                      ({t('campaigns.form.hintAppears', { hours: hint.afterHours || '0' })})
                    </span>
                  </li>
                );
              })}
            </ul>
          </>
        ) : null}
      </div>
    </section>
  );
}
