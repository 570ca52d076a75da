import { useTranslation } from 'react-i18next';
import { Form, useNavigation } from 'react-router';
import type { FieldErrors } from './drop-fields';
import { Field } from './DropForm';
import { CONSOLE_NS } from './i18n';

/** The challenge form's values as typed (the window as wall-clock times in the brand's zone). */
export interface ChallengeFormValues {
  title: string;
  tag: string;
  startsAt: string;
  endsAt: string;
  maxParticipants: string;
  bonusPoints: string;
}

/** The counted fields and the API's bounds (campaigns/challenges/challenges.schema.ts). */
const COUNTS = [
  { name: 'maxParticipants', max: 10_000 },
  { name: 'bonusPoints', max: 200 },
] as const;

/** A new challenge; after a refusal, the API's word on each field under it. */
export function ChallengeForm({
  values,
  zone,
  errors,
}: {
  values: ChallengeFormValues;
  zone: string;
  errors: FieldErrors;
}) {
  const { t } = useTranslation(CONSOLE_NS);
  const busy = useNavigation().state === 'submitting';
  const errorCount = Object.keys(errors).length;
  return (
    <Form
      method="post"
      noValidate
      className="stack console-form"
      aria-labelledby="new-challenge"
      // A new form after each answer: the values typed come back from the action.
      key={JSON.stringify(values)}
    >
      <h2 id="new-challenge">{t('community.challenges.new')}</h2>
      {errorCount > 0 ? (
        <p className="notice error" role="alert">
          {t('community.challenges.fix', { count: errorCount })}
        </p>
      ) : null}
      {errors.form ? <p className="notice error">{errors.form}</p> : null}
      <Field name="title" label={t('community.challenges.name')} errors={errors}>
        {(aria) => <input {...aria} defaultValue={values.title} maxLength={200} />}
      </Field>
      <Field
        name="tag"
        label={t('community.challenges.tag')}
        errors={errors}
        hint={t('community.challenges.tagHint')}
      >
        {(aria) => <input {...aria} defaultValue={values.tag} maxLength={50} />}
      </Field>
      <div className="field-grid">
        <Field name="startsAt" label={t('community.challenges.startsAt', { zone })} errors={errors}>
          {(aria) => <input {...aria} type="datetime-local" defaultValue={values.startsAt} />}
        </Field>
        <Field name="endsAt" label={t('community.challenges.endsAt', { zone })} errors={errors}>
          {(aria) => <input {...aria} type="datetime-local" defaultValue={values.endsAt} />}
        </Field>
        {COUNTS.map(({ name, max }) => (
          <Field
            key={name}
            name={name}
            label={t(`community.challenges.${name}`)}
            errors={errors}
            hint={t(`community.challenges.${name}Hint`)}
          >
            {(aria) => (
              <input
                {...aria}
                type="number"
                inputMode="numeric"
                min={1}
                max={max}
                step={1}
                defaultValue={values[name]}
              />
            )}
          </Field>
        ))}
      </div>
      <button type="submit" className="primary" disabled={busy}>
        {t('community.challenges.create')}
      </button>
    </Form>
  );
}
