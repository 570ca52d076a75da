import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Form, useNavigation } from 'react-router';
import type { Language } from '../i18n/languages';
import {
  HINT_ROWS,
  LANGUAGE_CODES,
  type DropFormValues,
  type FieldErrors,
  type ListingChoice,
  type PreviewStrings,
} from './drop-fields';
import { DropPreview } from './DropPreview';
import { CONSOLE_NS } from './i18n';
import { dropWindow, formatInZone } from './schedule';

interface FieldProps {
  name: string;
  label: string;
  errors: FieldErrors;
  hint?: string;
  children: (aria: {
    id: string;
    name: string;
    'aria-invalid': true | undefined;
    'aria-describedby': string | undefined;
  }) => React.ReactNode;
}

/** A labelled control with its hint and, after a refusal, the API's word on it. */
export function Field({ name, label, errors, hint, children }: FieldProps) {
  const id = `f-${name.replace(/\./g, '-')}`;
  const error = errors[name];
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        name,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': described || undefined,
      })}
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function DropForm({
  mode,
  initial,
  zone,
  listings,
  strings,
  errors,
}: {
  mode: 'create' | 'edit';
  initial: DropFormValues;
  zone: string;
  listings: ListingChoice[];
  strings: Record<Language, PreviewStrings>;
  errors: FieldErrors;
}) {
  const { t, i18n } = useTranslation(CONSOLE_NS);
  const [values, setValues] = useState(initial);
  const busy = useNavigation().state === 'submitting';
  const set = (patch: Partial<DropFormValues>) => setValues((now) => ({ ...now, ...patch }));
  const window = dropWindow(values.startsAt, zone, Number(values.durationHours));
  const listing = listings.find((choice) => choice.id === values.listingId);
  const input =
    (key: keyof DropFormValues) =>
    (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      set({ [key]: event.target.value } as Partial<DropFormValues>);
  const errorCount = Object.keys(errors).length;
  return (
    <div className="drop-editor">
      <Form method="post" noValidate className="stack drop-form">
        {errorCount > 0 ? (
          <p className="notice error" role="alert">
            {t('campaigns.form.fix', { count: errorCount })}
          </p>
        ) : null}
        {errors.form ? <p className="notice error">{errors.form}</p> : null}
        <input type="hidden" name="timezone" value={zone} />
        <Field name="title" label={t('campaigns.form.title')} errors={errors}>
          {(aria) => (
            <input {...aria} value={values.title} onChange={input('title')} maxLength={200} />
          )}
        </Field>
        {mode === 'create' ? (
          <>
            <Field
              name="listingId"
              label={t('campaigns.form.listing')}
              errors={errors}
              hint={listings.length === 0 ? t('campaigns.form.noListings') : undefined}
            >
              {(aria) => (
                <select {...aria} value={values.listingId} onChange={input('listingId')}>
                  <option value="">{t('campaigns.form.chooseListing')}</option>
                  {listings.map((choice) => (
                    <option key={choice.id} value={choice.id}>
                      {t('campaigns.form.listingOption', {
                        title: choice.title,
                        count: choice.quantity,
                      })}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              name="stock"
              label={t('campaigns.form.stock')}
              errors={errors}
              hint={
                listing ? t('campaigns.form.stockHint', { count: listing.quantity }) : undefined
              }
            >
              {(aria) => (
                <input
                  {...aria}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={listing?.quantity}
                  value={values.stock}
                  onChange={input('stock')}
                />
              )}
            </Field>
          </>
        ) : (
          <p>{t('campaigns.form.stockFixed', { count: Number(values.stock) })}</p>
        )}
        <fieldset>
          <legend>{t('campaigns.form.schedule')}</legend>
          <Field name="startsAt" label={t('campaigns.form.startsAt', { zone })} errors={errors}>
            {(aria) => (
              <input
                {...aria}
                type="datetime-local"
                value={values.startsAt}
                onChange={input('startsAt')}
              />
            )}
          </Field>
          <Field
            name="durationHours"
            label={t('campaigns.form.duration')}
            errors={errors}
            hint={t('campaigns.form.durationHint')}
          >
            {(aria) => (
              <input
                {...aria}
                type="number"
                inputMode="decimal"
                min={1 / 60}
                max={168}
                step="any"
                value={values.durationHours}
                onChange={input('durationHours')}
              />
            )}
          </Field>
          <p className="drop-end" aria-live="polite">
            {window
              ? t('campaigns.form.endsAt', {
                  time: formatInZone(window.endsAt, zone, i18n.language),
                })
              : t('campaigns.form.endsUnknown')}
          </p>
        </fieldset>
        <fieldset>
          <legend>{t('campaigns.form.riddle')}</legend>
          <p className="hint">{t('campaigns.form.riddleHint')}</p>
          {LANGUAGE_CODES.map((code) => (
            <fieldset key={code} className="language-texts">
              <legend>{strings[code].name}</legend>
              <Field
                name={`question.${code}`}
                label={t('campaigns.form.question')}
                errors={code === 'en' ? { ...errors, 'question.en': errors.question ?? '' } : {}}
              >
                {(aria) => (
                  <textarea
                    {...aria}
                    lang={code}
                    rows={2}
                    value={values.question[code] ?? ''}
                    onChange={(event) =>
                      set({ question: { ...values.question, [code]: event.target.value } })
                    }
                  />
                )}
              </Field>
              {Array.from({ length: HINT_ROWS }, (_, row) => (
                <Field
                  key={row}
                  name={`hint.${row}.${code}`}
                  label={t('campaigns.form.hintText', { number: row + 1 })}
                  errors={{}}
                >
                  {(aria) => (
                    <input
                      {...aria}
                      lang={code}
                      value={values.hints[row]?.text[code] ?? ''}
                      onChange={(event) =>
                        set({
                          hints: values.hints.map((hint, i) =>
                            i === row
                              ? { ...hint, text: { ...hint.text, [code]: event.target.value } }
                              : hint,
                          ),
                        })
                      }
                    />
                  )}
                </Field>
              ))}
            </fieldset>
          ))}
          <fieldset className="hint-times">
            <legend>{t('campaigns.form.hintTimes')}</legend>
            {Array.from({ length: HINT_ROWS }, (_, row) => (
              <Field
                key={row}
                name={`hint.${row}.afterHours`}
                label={t('campaigns.form.hintAfter', { number: row + 1 })}
                errors={{ [`hint.${row}.afterHours`]: errors[`hint.${row}`] ?? '' }}
              >
                {(aria) => (
                  <input
                    {...aria}
                    type="number"
                    inputMode="decimal"
                    min={0}
                    max={168}
                    step="any"
                    value={values.hints[row]?.afterHours ?? ''}
                    onChange={(event) =>
                      set({
                        hints: values.hints.map((hint, i) =>
                          i === row ? { ...hint, afterHours: event.target.value } : hint,
                        ),
                      })
                    }
                  />
                )}
              </Field>
            ))}
          </fieldset>
          <Field
            name="answers"
            label={t('campaigns.form.answers')}
            errors={errors}
            hint={t(
              mode === 'create' ? 'campaigns.form.answersHint' : 'campaigns.form.answersEditHint',
            )}
          >
            {(aria) => <textarea {...aria} rows={3} autoComplete="off" spellCheck={false} />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t('campaigns.form.rules')}</legend>
          <Field name="maxAttemptsPerUser" label={t('campaigns.form.maxAttempts')} errors={errors}>
            {(aria) => (
              <input
                {...aria}
                type="number"
                inputMode="numeric"
                min={1}
                max={1000}
                value={values.maxAttemptsPerUser}
                onChange={input('maxAttemptsPerUser')}
              />
            )}
          </Field>
          <Field name="perUserLimit" label={t('campaigns.form.perUserLimit')} errors={errors}>
            {(aria) => (
              <input
                {...aria}
                type="number"
                inputMode="numeric"
                min={1}
                max={100}
                value={values.perUserLimit}
                onChange={input('perUserLimit')}
              />
            )}
          </Field>
          <Field
            name="reservationMinutes"
            label={t('campaigns.form.reservationMinutes')}
            errors={errors}
          >
            {(aria) => (
              <input
                {...aria}
                type="number"
                inputMode="decimal"
                min={0.1}
                max={60}
                step="any"
                value={values.reservationMinutes}
                onChange={input('reservationMinutes')}
              />
            )}
          </Field>
        </fieldset>
        <button type="submit" className="primary" disabled={busy}>
          {t(mode === 'create' ? 'campaigns.form.create' : 'campaigns.form.save')}
        </button>
      </Form>
      <DropPreview values={values} zone={zone} listing={listing} strings={strings} />
    </div>
  );
}
