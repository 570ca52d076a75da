import { useTranslation } from 'react-i18next';
import {
  redirect,
  useActionData,
  useLoaderData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { requireSameOrigin } from '../../auth/session.server';
import { consoleAccess } from '../../console/access.server';
import { emptyHints, type DropFormValues, type FieldErrors } from '../../console/drop-fields';
import {
  answersOf,
  fieldErrorsOf,
  listingChoices,
  previewStrings,
  puzzleOf,
  readDropForm,
  settingsOf,
} from '../../console/drop-form.server';
import { DropForm } from '../../console/DropForm';
import { ConsoleProblem } from '../../console/Frame';
import { CONSOLE_NS } from '../../console/i18n';
import { consoleMetaTranslator } from '../../console/meta';
import { DEFAULT_DURATION_HOURS } from '../../console/schedule';

export const ErrorBoundary = ConsoleProblem;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, me } = await consoleAccess(request, context, ['brand']);
  const [listings, strings] = await Promise.all([listingChoices(api), previewStrings()]);
  const initial: DropFormValues = {
    title: '',
    listingId: '',
    stock: '',
    startsAt: '',
    durationHours: String(DEFAULT_DURATION_HOURS),
    maxAttemptsPerUser: '10',
    perUserLimit: '1',
    reservationMinutes: '10',
    question: {},
    hints: emptyHints(),
  };
  return { zone: me.timezone, listings, strings, initial };
}

/** Creates the drop (its stock set aside at once), then shows its live stats page. */
export async function action({ request, context }: ActionFunctionArgs) {
  requireSameOrigin(request);
  const { api } = await consoleAccess(request, context, ['brand']);
  const form = await request.formData();
  const values = readDropForm(form);
  const { puzzle, hintRows } = puzzleOf(values, answersOf(form));
  const stock = Number(values.stock.trim());
  const { data, error, response } = await api.client.POST('/v1/campaigns/drops', {
    // Typed values go as typed: the API names each field that is wrong.
    body: {
      ...settingsOf(values, String(form.get('timezone') ?? '')),
      listingId: values.listingId,
      stock: values.stock.trim() === '' || !Number.isFinite(stock) ? values.stock : stock,
      puzzle,
    } as never,
  });
  if (data) return redirect(`/console/drops/${data.id}`);
  const errors: FieldErrors = fieldErrorsOf(error, hintRows);
  if (Object.keys(errors).length === 0) {
    const code = (error as { error?: { code?: string; message?: string } } | undefined)?.error;
    // A refusal about the whole drop: out_of_stock is the stock field's.
    if (code?.code === 'out_of_stock') errors.stock = code.message ?? 'out_of_stock';
    else errors.form = code?.message ?? `HTTP ${response.status}`;
  }
  return { errors };
}

export function meta({ matches }: MetaArgs) {
  const t = consoleMetaTranslator(matches);
  return [
    { title: `${t('campaigns.form.newTitle')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export default function NewDrop() {
  const { zone, listings, strings, initial } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation(CONSOLE_NS);
  return (
    <section>
      <h1>{t('campaigns.form.newTitle')}</h1>
      <DropForm
        mode="create"
        initial={initial}
        zone={zone}
        listings={listings}
        strings={strings}
        errors={result?.errors ?? {}}
      />
    </section>
  );
}
