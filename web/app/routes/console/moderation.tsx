import { useTranslation } from 'react-i18next';
import {
  Link,
  useLoaderData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { requireSameOrigin } from '../../auth/session.server';
import { problemOf } from '../../components/FormProblem';
import { consoleAccess } from '../../console/access.server';
import { ConsoleProblem } from '../../console/Frame';
import { CONSOLE_NS } from '../../console/i18n';
import { consoleMetaTranslator } from '../../console/meta';
import { opsLinks } from '../../console/ops-links';
import { ModerationQueue, type Decision } from '../../console/ModerationQueue';
import { unavailableIf } from '../../api/unavailable';

const ROLES = ['moderator', 'admin'] as const;

/** The cultural buffer: notes held for review, oldest first as the API gives them. */

export const links = opsLinks;
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await consoleAccess(request, context, ROLES);
  const cursor = new URL(request.url).searchParams.get('cursor') ?? undefined;
  const { data, response } = await api.client.GET('/v1/moderation/notes', {
    params: { query: { status: 'pending_review', limit: 50, ...(cursor ? { cursor } : {}) } },
  });
  return unavailableIf([response], {
    notes: data?.data ?? [],
    nextCursor: data?.nextCursor ?? null,
    failed: !data,
  });
}

/** Approves, or rejects with the reason its author will read. */
export async function action({ request, context }: ActionFunctionArgs) {
  requireSameOrigin(request);
  const { api } = await consoleAccess(request, context, ROLES);
  const form = await request.formData();
  const noteId = String(form.get('noteId') ?? '');
  const title = String(form.get('title') ?? '');
  const path = { params: { path: { id: noteId } } };
  const result =
    form.get('intent') === 'reject'
      ? await api.client.POST('/v1/moderation/notes/{id}/reject', {
          ...path,
          body: { reason: String(form.get('reason') ?? '').trim() },
        })
      : await api.client.POST('/v1/moderation/notes/{id}/approve', path);
  if (!result.data) return { ...problemOf(result.response, result.error), noteId };
  const decided = form.get('intent') === 'reject' ? 'rejected' : 'approved';
  return { decided, noteId, title } satisfies Decision;
}

export function meta({ matches }: MetaArgs) {
  const t = consoleMetaTranslator(matches);
  return [
    { title: `${t('ops.moderation.title')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export const ErrorBoundary = ConsoleProblem;

export default function Moderation() {
  const { notes, nextCursor, failed } = useLoaderData<typeof loader>();
  const { t } = useTranslation(CONSOLE_NS);
  return (
    <section>
      <h1>{t('ops.moderation.title')}</h1>
      <p>{t('ops.moderation.intro')}</p>
      {failed ? (
        <p className="notice error" role="alert">
          {t('ops.unavailable')}
        </p>
      ) : (
        <ModerationQueue notes={notes} />
      )}
      {nextCursor ? (
        <p className="more">
          <Link className="button" to={`?cursor=${encodeURIComponent(nextCursor)}`}>
            {t('ops.more')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
