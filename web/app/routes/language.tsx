import { redirect, type ActionFunctionArgs } from 'react-router';
import { requireSameOrigin } from '../auth/session.server';
import { isLanguage } from '../i18n/languages';
import { languageCookie } from '../i18n/preferences.server';
import { safeNext } from '../auth/next';

export async function action({ request }: ActionFunctionArgs) {
  requireSameOrigin(request);
  const form = await request.formData();
  const language = form.get('language');
  const next = safeNext(form.get('next'));
  if (!isLanguage(language)) return redirect(next);
  return redirect(next, {
    headers: { 'Set-Cookie': await languageCookie.serialize(language) },
  });
}

export function loader() {
  return redirect('/');
}
