import { useTranslation } from 'react-i18next';
import {
  Form,
  Link,
  useActionData,
  useNavigation,
  useSearchParams,
  type ActionFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor } from '../api/client.server';
import { requireSameOrigin } from '../auth/session.server';
import { FormProblem, problemOf, type Problem } from '../components/FormProblem';
import { metaTranslator } from '../i18n/meta';

type Outcome = Problem | { reset: true };

/** The mailed link's page: the token from `?token=` goes back in a hidden field. */
export async function action({ request, context }: ActionFunctionArgs): Promise<Outcome> {
  requireSameOrigin(request);
  const form = await request.formData();
  const api = await apiFor(request, context);
  const { error, response } = await api.client.POST('/v1/auth/password-reset/confirm', {
    body: {
      token: String(form.get('token') ?? ''),
      newPassword: String(form.get('newPassword') ?? ''),
    },
  });
  if (!response.ok) return problemOf(response, error);
  return { reset: true };
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [
    { title: `${t('auth.resetTitle')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export default function ResetPassword() {
  const { t } = useTranslation();
  const outcome = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const token = params.get('token') ?? '';
  const problem = outcome && 'status' in outcome ? outcome : undefined;
  if (outcome && 'reset' in outcome)
    return (
      <section className="narrow">
        <h1>{t('auth.resetTitle')}</h1>
        <p className="notice" role="status">
          {t('auth.resetDone')}
        </p>
        <p>
          <Link to="/signin">{t('auth.signIn')}</Link>
        </p>
      </section>
    );
  return (
    <section className="narrow">
      <h1>{t('auth.resetTitle')}</h1>
      {token === '' ? (
        <p className="notice error" role="alert">
          {t('problem.token_invalid')}
        </p>
      ) : (
        <Form
          method="post"
          className="stack"
          aria-describedby={problem ? 'form-problem' : undefined}
        >
          <FormProblem problem={problem} />
          <input type="hidden" name="token" value={token} />
          <label>
            {t('auth.newPassword')}
            <input
              name="newPassword"
              type="password"
              autoComplete="new-password"
              minLength={8}
              required
              aria-describedby="new-password-hint"
            />
            <span id="new-password-hint" className="hint">
              {t('auth.passwordHint')}
            </span>
          </label>
          <button type="submit" className="primary" disabled={busy}>
            {t('auth.resetSave')}
          </button>
        </Form>
      )}
      <p>
        <Link to="/forgot-password">{t('auth.forgotLink')}</Link>
      </p>
    </section>
  );
}
