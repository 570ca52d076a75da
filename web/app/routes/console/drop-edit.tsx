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
import { failure } from '../../api/client.server';
import { requireSameOrigin } from '../../auth/session.server';
import { consoleAccess } from '../../console/access.server';
import { filled, type FieldErrors } from '../../console/drop-fields';
import {
  answersOf,
  fieldErrorsOf,
  previewStrings,
  puzzleOf,
  readDropForm,
  settingsOf,
  valuesOfDrop,
} from '../../console/drop-form.server';
import { DropForm } from '../../console/DropForm';
import { ConsoleProblem } from '../../console/Frame';
import { CONSOLE_NS } from '../../console/i18n';
import { consoleMetaTranslator } from '../../console/meta';
import { toLocalInput } from '../../console/schedule';

export const ErrorBoundary = ConsoleProblem;

async function ownDrop(api: Awaited<ReturnType<typeof consoleAccess>>['api'], id: string) {
  const {
    data: drop,
    error,
    response,
  } = await api.client.GET('/v1/campaigns/drops/{id}', {
    params: { path: { id } },
  });
  if (!drop) throw failure(response.status, error);
  return drop;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, me } = await consoleAccess(request, context, ['brand']);
  const drop = await ownDrop(api, params.id ?? '');
  if (drop.brandId !== me.brandId) throw failure(404, null);
  const [strings, listing] = await Promise.all([
    previewStrings(),
    api.client.GET('/v1/listings/{id}', { params: { path: { id: drop.listingId } } }),
  ]);
  const choice = listing.data
    ? {
        id: listing.data.id,
        title: listing.data.title,
        quantity: drop.stock,
        priceAmount: listing.data.priceAmount,
        currency: listing.data.currency,
      }
    : null;
  return {
    drop: { id: drop.id, status: drop.status, title: drop.title },
    zone: drop.timezone,
    listings: choice ? [choice] : [],
    strings,
    initial: valuesOfDrop(drop, toLocalInput(drop.startsAt, drop.timezone)),
  };
}

/**
 * Saves a scheduled drop. The riddle goes only with its answers (the API never gives them back),
 * so a changed question or hint without the answers typed again is refused here, on that field.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  requireSameOrigin(request);
  const { api } = await consoleAccess(request, context, ['brand']);
  const id = params.id ?? '';
  const drop = await ownDrop(api, id);
  const form = await request.formData();
  const values = readDropForm(form);
  const answers = answersOf(form);
  const { puzzle, hintRows } = puzzleOf(values, answers);
  const before = valuesOfDrop(drop, '');
  const riddleChanged =
    JSON.stringify(puzzleOf({ ...values, startsAt: '' }, []).puzzle) !==
    JSON.stringify(puzzleOf(before, []).puzzle);
  const errors: FieldErrors = {};
  if (riddleChanged && answers.length === 0 && Object.keys(filled(values.question)).length > 0)
    errors.answers = 'answersAgain';
  if (Object.keys(errors).length > 0) return { errors };
  const { data, error, response } = await api.client.PATCH('/v1/campaigns/drops/{id}', {
    params: { path: { id } },
    body: {
      ...settingsOf(values, String(form.get('timezone') ?? drop.timezone)),
      ...(answers.length > 0 || riddleChanged ? { puzzle } : {}),
    } as never,
  });
  if (data) return redirect(`/console/drops?saved=${encodeURIComponent(data.id)}`);
  const refused = fieldErrorsOf(error, hintRows);
  if (Object.keys(refused).length === 0) {
    const body = (error as { error?: { message?: string } } | undefined)?.error;
    refused.form = body?.message ?? `HTTP ${response.status}`;
  }
  return { errors: refused };
}

export function meta({ matches }: MetaArgs) {
  const t = consoleMetaTranslator(matches);
  return [
    { title: `${t('campaigns.form.editTitle')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export default function EditDrop() {
  const { drop, zone, listings, strings, initial } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation(CONSOLE_NS);
  const errors = { ...(result?.errors ?? {}) };
  if (errors.answers === 'answersAgain') errors.answers = t('campaigns.form.answersAgain');
  return (
    <section>
      <h1>{t('campaigns.form.editTitle')}</h1>
      {drop.status !== 'scheduled' ? (
        <div className="notice" role="status">
          <p>{t('campaigns.form.notEditable')}</p>
          <p>
            <Link to={`/console/drops/${drop.id}`}>{t('campaigns.list.stats')}</Link>
          </p>
        </div>
      ) : (
        <DropForm
          mode="edit"
          initial={initial}
          zone={zone}
          listings={listings}
          strings={strings}
          errors={errors}
        />
      )}
    </section>
  );
}
