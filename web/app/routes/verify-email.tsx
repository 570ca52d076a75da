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

type Outcome = Problem | { verified: true };

/**
 * The mailed link's page. Confirming is a button, not the GET itself: mail scanners that
 * fetch every link must not spend the token.
 */
export async function action({ request, context }: ActionFunctionArgs): Promise<Outcome> {
  requireSameOrigin(request);
  const form = await request.formData();
  const api = await apiFor(request, context);
  const { error, response } = await api.client.POST('/v1/auth/verify-email', {
    body: { token: String(form.get('token') ?? '') },
  });
  if (!response.ok) return problemOf(response, error);
  return { verified: true };
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [
    { title: `${t('auth.verifyTitle')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export default function VerifyEmail() {
  const { t } = useTranslation();
  const outcome = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const token = params.get('token') ?? '';
  const problem = outcome && 'status' in outcome ? outcome : undefined;
  return (
    <section className="narrow">
      <h1>{t('auth.verifyTitle')}</h1>
      {outcome && 'verified' in outcome ? (
        <p className="notice" role="status">
          {t('auth.verifyDone')}
        </p>
      ) : token === '' ? (
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
          <p>{t('auth.verifyIntro')}</p>
          <button type="submit" className="primary" disabled={busy}>
            {t('auth.verifyConfirm')}
          </button>
        </Form>
      )}
      <p>
        <Link to="/">{t('auth.toStorefront')}</Link>
      </p>
    </section>
  );
}
