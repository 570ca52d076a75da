import { useTranslation } from 'react-i18next';
import {
  Link,
  redirect,
  useActionData,
  useLoaderData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor, failure, type Api } from '../api/client.server';
import { requireSameOrigin, signInRedirect } from '../auth/session.server';
import { problemOf, type Problem } from '../components/FormProblem';
import { metaTranslator } from '../i18n/meta';
import { listingBodyOf } from '../tools/listing-form.server';
import { ListingForm } from '../tools/ListingForm';
import { toolsLinks } from '../tools/links';
import { photoRefs } from '../tools/photos';

export const links = toolsLinks;

/** The seller's own listing; anyone else's answers as not found. */
async function ownListing(api: Api, id: string) {
  const [{ data: listing, error, response }, { data: me }] = await Promise.all([
    api.client.GET('/v1/listings/{id}', { params: { path: { id } } }),
    api.client.GET('/v1/me'),
  ]);
  if (!listing) throw failure(response.status, error);
  if (listing.sellerId !== me?.id) throw failure(404, null);
  return listing;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  if (!api.token) throw signInRedirect(request);
  const listing = await ownListing(api, params.id ?? '');
  return { listing, photos: photoRefs(listing.images, listing.media) };
}

export async function action({
  request,
  context,
  params,
}: ActionFunctionArgs): Promise<Problem | Response> {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  if (!api.token) return signInRedirect(request);
  const listing = await ownListing(api, params.id ?? '');
  const parsed = listingBodyOf(await request.formData(), listing.currency);
  if ('problem' in parsed) return parsed.problem;
  const { currency: _currency, ...changes } = parsed.body;
  const result = await api.client.PATCH('/v1/listings/{id}', {
    params: { path: { id: listing.id } },
    body: changes,
  });
  if (!result.data) return problemOf(result.response, result.error);
  return redirect(`/listings/${listing.id}`);
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [
    { title: `${t('listingForm.editTitle')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export default function EditListing() {
  const { listing, photos } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('listingForm.editTitle')}</h1>
      <p>
        <Link to={`/listings/${listing.id}`}>{listing.title}</Link>
      </p>
      <ListingForm
        values={{ ...listing, photos, priceAmount: listing.priceAmount }}
        editing
        problem={problem}
      />
    </section>
  );
}
