import type { Api, ApiError } from '../api/client.server';
import type { components } from '../api/schema';
import { LANGUAGES, type Language } from '../i18n/languages';
import { messagesFor } from '../i18n/messages.server';
import {
  emptyHints,
  filled,
  HINT_ROWS,
  LANGUAGE_CODES,
  usedHints,
  type DropFormValues,
  type FieldErrors,
  type PreviewStrings,
} from './drop-fields';

type Drop = components['schemas']['Drop'];

/** The form's values from a posted form. */
export function readDropForm(form: FormData): DropFormValues {
  const text = (name: string) => String(form.get(name) ?? '');
  const perLanguage = (prefix: string) =>
    Object.fromEntries(LANGUAGE_CODES.map((code) => [code, text(`${prefix}.${code}`)])) as Record<
      Language,
      string
    >;
  return {
    title: text('title'),
    listingId: text('listingId'),
    stock: text('stock'),
    startsAt: text('startsAt'),
    durationHours: text('durationHours'),
    maxAttemptsPerUser: text('maxAttemptsPerUser'),
    perUserLimit: text('perUserLimit'),
    reservationMinutes: text('reservationMinutes'),
    question: perLanguage('question'),
    hints: Array.from({ length: HINT_ROWS }, (_, row) => ({
      afterHours: text(`hint.${row}.afterHours`),
      text: perLanguage(`hint.${row}`),
    })),
  };
}

/** A drop's values for its edit form (answers are never read back: the API has none to give). */
export function valuesOfDrop(drop: Drop, startsAtLocal: string): DropFormValues {
  const hints = emptyHints();
  drop.puzzle.hints.slice(0, HINT_ROWS).forEach((hint, row) => {
    hints[row] = { afterHours: String(hint.afterHours), text: { ...hint.text } };
  });
  return {
    title: drop.title,
    listingId: drop.listingId,
    stock: String(drop.stock),
    startsAt: startsAtLocal,
    durationHours: String(drop.durationHours),
    maxAttemptsPerUser: String(drop.maxAttemptsPerUser),
    perUserLimit: String(drop.perUserLimit),
    reservationMinutes: String(drop.reservationMinutes),
    question: { ...drop.puzzle.question },
    hints,
  };
}

/** A number as typed; anything else goes to the API as it is, which names the field. */
export function numberOf(value: string): number | string {
  const trimmed = value.trim();
  if (trimmed === '') return trimmed;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : trimmed;
}

export function answersOf(form: FormData): string[] {
  return String(form.get('answers') ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Which form row each API hint index came from (blank rows are not sent). */
export function puzzleOf(values: DropFormValues, answers: string[]) {
  const hints = usedHints(values);
  return {
    puzzle: {
      question: filled(values.question),
      answers,
      ...(hints.length > 0
        ? {
            hints: hints.map((hint) => ({
              afterHours: numberOf(hint.afterHours),
              text: hint.text,
            })),
          }
        : {}),
    },
    hintRows: hints.map((hint) => hint.row),
  };
}

export function settingsOf(values: DropFormValues, timezone: string) {
  return {
    title: values.title,
    startsAt: values.startsAt,
    timezone,
    durationHours: numberOf(values.durationHours),
    maxAttemptsPerUser: numberOf(values.maxAttemptsPerUser),
    perUserLimit: numberOf(values.perUserLimit),
    reservationMinutes: numberOf(values.reservationMinutes),
  };
}

/** The API's `param` (`puzzle.hints.1.text.ja`) as this form's field (`hint.<row>`). */
function fieldOf(param: string, hintRows: number[]): string {
  const [head, second, third] = param.split('.');
  if (head !== 'puzzle') return head ?? 'form';
  if (second === 'question') return 'question';
  if (second === 'answers') return 'answers';
  if (second === 'hints') {
    const row = hintRows[Number(third)];
    return row === undefined ? 'hints' : `hint.${row}`;
  }
  return 'question';
}

/** Every failing field of a 400, keyed by form field; the rest of the refusal for the top. */
export function fieldErrorsOf(error: unknown, hintRows: number[]): FieldErrors {
  const body = (error as { error?: ApiError } | undefined)?.error;
  const errors: FieldErrors = {};
  const problems = body?.details?.length
    ? body.details
    : body?.param
      ? [{ param: body.param, code: body.code, message: body.message }]
      : [];
  for (const problem of problems) {
    const field = fieldOf(problem.param ?? 'form', hintRows);
    errors[field] ??= problem.message;
  }
  return errors;
}

/** The buyer page's own words in each language, for the form's preview. */
export async function previewStrings() {
  const entries = await Promise.all(
    LANGUAGES.map(async ({ code, name }) => {
      const drops = (await messagesFor(code)).drops as Record<string, unknown>;
      const status = drops.status as Record<string, string>;
      return [
        code,
        {
          name,
          scheduled: status.scheduled ?? '',
          opensIn: String(drops.opensIn),
          endsIn: String(drops.endsIn),
          question: String(drops.question),
          questionFallback: String(drops.questionFallback),
          hints: String(drops.hints),
          answer: String(drops.answer),
          submit: String(drops.submit),
        },
      ] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<Language, PreviewStrings>;
}

/** The brand's listings a drop can take its stock from (active, with units left). */
export async function listingChoices(api: Api) {
  const { data } = await api.client.GET('/v1/me/listings', {
    params: { query: { status: 'active', limit: 100 } },
  });
  return (data?.data ?? [])
    .filter((listing) => listing.quantity > 0)
    .map((listing) => ({
      id: listing.id,
      title: listing.title,
      quantity: listing.quantity,
      priceAmount: listing.priceAmount,
      currency: listing.currency,
    }));
}
