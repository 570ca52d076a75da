import { LANGUAGES, type Language } from '../i18n/languages';

/** How many hint rows the form offers (the API takes up to 10). */
export const HINT_ROWS = 3;

export const LANGUAGE_CODES: Language[] = LANGUAGES.map((language) => language.code);

/** The drop form's values, as typed (strings), and what the preview is drawn from. */
export interface DropFormValues {
  title: string;
  listingId: string;
  stock: string;
  startsAt: string;
  durationHours: string;
  maxAttemptsPerUser: string;
  perUserLimit: string;
  reservationMinutes: string;
  question: Partial<Record<Language, string>>;
  hints: Array<{ afterHours: string; text: Partial<Record<Language, string>> }>;
}

/** Field name -> problem sentence, from the API's `details` (or this form's own checks). */
export type FieldErrors = Record<string, string>;

export const emptyHints = () =>
  Array.from({ length: HINT_ROWS }, () => ({ afterHours: '', text: {} }));

/** Texts per language without the blank ones (the API wants at least one, none empty). */
export function filled(texts: Partial<Record<Language, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(texts)
      .map(([language, text]) => [language, (text ?? '').trim()] as const)
      .filter(([, text]) => text !== ''),
  );
}

/** The hints a buyer will get: rows with a time or a text, in the form's order. */
export function usedHints(values: DropFormValues) {
  return values.hints
    .map((hint, row) => ({ row, afterHours: hint.afterHours.trim(), text: filled(hint.text) }))
    .filter((hint) => hint.afterHours !== '' || Object.keys(hint.text).length > 0);
}

/** The buyer page's own words in one language (from the site's messages), for the preview. */
export interface PreviewStrings {
  name: string;
  scheduled: string;
  opensIn: string;
  endsIn: string;
  question: string;
  questionFallback: string;
  hints: string;
  answer: string;
  submit: string;
}

/** A listing of the brand a drop can take its stock from. */
export interface ListingChoice {
  id: string;
  title: string;
  quantity: number;
  priceAmount: number;
  currency: string;
}
