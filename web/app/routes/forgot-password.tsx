import { useTranslation } from 'react-i18next';
import {
  Form,
  Link,
  useActionData,
  useNavigation,
  type ActionFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor } from '../api/client.server';
import { requireSameOrigin } from '../auth/session.server';
import { FormProblem, problemOf, type Problem } from '../components/FormProblem';
import { metaTranslator } from '../i18n/meta';

type Outcome = Problem | { sent: true };

/** The API answers 202 whether or not the address has an account, and so does this page. */
export async function action({ request, context }: ActionFunctionArgs): Promise<Outcome> {
  requireSameOrigin(request);
  const form = await request.formData();
  const api = await apiFor(request, context);
  const { error, response } = await api.client.POST('/v1/auth/password-reset', {
    body: { email: String(form.get('email') ?? '') },
  });
  if (!response.ok) return problemOf(response, error);
  return { sent: true };
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [{ title: `${t('auth.forgotTitle')} · cyberstall` }];
}

export default function ForgotPassword() {
  const { t } = useTranslation();
  const outcome = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const problem = outcome && 'status' in outcome ? outcome : undefined;
  return (
    <section className="narrow">
      <h1>{t('auth.forgotTitle')}</h1>
      {outcome && 'sent' in outcome ? (
        <p className="notice" role="status">
          {t('auth.forgotSent')}
        </p>
      ) : (
        <Form
          method="post"
          className="stack"
          aria-describedby={problem ? 'form-problem' : undefined}
        >
          <FormProblem problem={problem} />
          <p>{t('auth.forgotIntro')}</p>
          <label>
            {t('auth.email')}
            <input name="email" type="email" autoComplete="email" required />
          </label>
          <button type="submit" className="primary" disabled={busy}>
            {t('auth.forgotSend')}
          </button>
        </Form>
      )}
      <p>
        <Link to="/signin">{t('auth.backToSignIn')}</Link>
      </p>
    </section>
  );
}
