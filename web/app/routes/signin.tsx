import { useTranslation } from 'react-i18next';
import {
  Form,
  Link,
  redirect,
  useActionData,
  useNavigation,
  useSearchParams,
  type ActionFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor } from '../api/client.server';
import { safeNext } from '../auth/next';
import { requireSameOrigin, saveToken } from '../auth/session.server';
import { metaTranslator } from '../i18n/meta';
import { FormProblem, problemOf, type Problem } from '../components/FormProblem';

export async function action({
  request,
  context,
}: ActionFunctionArgs): Promise<Problem | Response> {
  requireSameOrigin(request);
  const form = await request.formData();
  const api = await apiFor(request, context);
  const { data, error, response } = await api.client.POST('/v1/auth/login', {
    body: { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') },
  });
  if (!data) return problemOf(response, error);
  return redirect(safeNext(form.get('next')), {
    headers: { 'Set-Cookie': await saveToken(data.token, api.server) },
  });
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [{ title: `${t('auth.signInTitle')} · cyberstall` }];
}

export default function SignIn() {
  const { t } = useTranslation();
  const problem = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  return (
    <section className="narrow">
      <h1>{t('auth.signInTitle')}</h1>
      <Form method="post" className="stack" aria-describedby={problem ? 'form-problem' : undefined}>
        <FormProblem problem={problem} />
        <input type="hidden" name="next" value={safeNext(params.get('next'))} />
        <label>
          {t('auth.email')}
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          {t('auth.password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {t('auth.signIn')}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">{t('auth.forgotLink')}</Link>
      </p>
      <p>
        {t('auth.noAccount')} <Link to="/signup">{t('nav.signUp')}</Link>
      </p>
    </section>
  );
}
