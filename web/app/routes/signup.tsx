import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Form,
  Link,
  redirect,
  useActionData,
  useNavigation,
  type ActionFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor } from '../api/client.server';
import { safeNext } from '../auth/next';
import { requireSameOrigin, saveToken } from '../auth/session.server';
import { FormProblem, problemOf, type Problem } from '../components/FormProblem';
import { countryOptions } from '../format/countries';
import { metaTranslator } from '../i18n/meta';

const HOME_COUNTRY: Record<string, string> = { en: 'US', 'zh-Hans': 'CN', ja: 'JP', 'pt-BR': 'BR' };

export async function action({
  request,
  context,
}: ActionFunctionArgs): Promise<Problem | Response> {
  requireSameOrigin(request);
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const isBrand = text('accountType') === 'brand';
  const api = await apiFor(request, context);
  const { data, error, response } = await api.client.POST('/v1/auth/signup', {
    body: {
      email: text('email'),
      password: String(form.get('password') ?? ''),
      displayName: text('displayName'),
      country: text('country'),
      ...(text('timezone') ? { timezone: text('timezone') } : {}),
      accountType: isBrand ? 'brand' : 'member',
      ...(isBrand ? { brandName: text('brandName') } : {}),
    },
  });
  if (!data) return problemOf(response, error);
  return redirect(safeNext(form.get('next')), {
    headers: { 'Set-Cookie': await saveToken(data.token, api.server) },
  });
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [{ title: `${t('auth.signUpTitle')} · cyberstall` }];
}

export default function SignUp() {
  const { t, i18n } = useTranslation();
  const problem = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const [isBrand, setBrand] = useState(false);
  const [timeZone, setTimeZone] = useState('');
  useEffect(() => setTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  return (
    <section className="narrow">
      <h1>{t('auth.signUpTitle')}</h1>
      <Form method="post" className="stack">
        <FormProblem problem={problem} />
        <input type="hidden" name="timezone" value={timeZone} />
        <label>
          {t('auth.email')}
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          {t('auth.password')}
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
            aria-describedby="password-hint"
          />
          <span id="password-hint" className="hint">
            {t('auth.passwordHint')}
          </span>
        </label>
        <label>
          {t('auth.displayName')}
          <input name="displayName" autoComplete="nickname" maxLength={100} required />
        </label>
        <label>
          {t('auth.country')}
          <select name="country" defaultValue={HOME_COUNTRY[i18n.language] ?? 'US'} required>
            {countryOptions(i18n.language).map((country) => (
              <option key={country.code} value={country.code}>
                {country.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{t('auth.accountType')}</legend>
          <label className="inline">
            <input
              type="radio"
              name="accountType"
              value="member"
              defaultChecked
              onChange={() => setBrand(false)}
            />
            {t('auth.member')}
          </label>
          <label className="inline">
            <input type="radio" name="accountType" value="brand" onChange={() => setBrand(true)} />
            {t('auth.brand')}
          </label>
        </fieldset>
        {isBrand ? (
          <label>
            {t('auth.brandName')}
            <input name="brandName" maxLength={100} required />
          </label>
        ) : null}
        <input type="hidden" name="next" value={safeNext(null)} />
        <button type="submit" className="primary" disabled={busy}>
          {t('auth.signUp')}
        </button>
      </Form>
      <p>
        {t('auth.haveAccount')} <Link to="/signin">{t('nav.signIn')}</Link>
      </p>
    </section>
  );
}
