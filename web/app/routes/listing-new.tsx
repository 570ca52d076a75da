import { useTranslation } from 'react-i18next';
import {
  redirect,
  useActionData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor } from '../api/client.server';
import { requireSameOrigin, signInRedirect } from '../auth/session.server';
import { problemOf, type Problem } from '../components/FormProblem';
import { metaTranslator } from '../i18n/meta';
import { listingBodyOf } from '../tools/listing-form.server';
import { EMPTY_LISTING, ListingForm } from '../tools/ListingForm';
import { toolsLinks } from '../tools/links';

export const links = toolsLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  if (!api.token) throw signInRedirect(request);
  return null;
}

/** Lists the item, then shows its public page. */
export async function action({
  request,
  context,
}: ActionFunctionArgs): Promise<Problem | Response> {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  if (!api.token) return signInRedirect(request);
  const form = await request.formData();
  const parsed = listingBodyOf(form, String(form.get('currency') ?? ''));
  if ('problem' in parsed) return parsed.problem;
  const result = await api.client.POST('/v1/listings', { body: parsed.body });
  if (!result.data) return problemOf(result.response, result.error);
  return redirect(`/listings/${result.data.id}`);
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [
    { title: `${t('listingForm.newTitle')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export default function NewListing() {
  const problem = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('listingForm.newTitle')}</h1>
      <ListingForm values={EMPTY_LISTING} editing={false} problem={problem} />
    </section>
  );
}
