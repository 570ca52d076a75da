import { useTranslation } from 'react-i18next';
import { Link, useLoaderData, type LoaderFunctionArgs, type MetaArgs } from 'react-router';
import { apiFor } from '../api/client.server';
import { signInRedirect } from '../auth/session.server';
import { metaTranslator } from '../i18n/meta';
import { Composer, type EditedNote } from '../notes/Composer';
import { toolsLinks } from '../tools/links';

export const links = toolsLinks;

/** `?edit=<noteId>`: the author's own note, to be changed on the version they saw. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  if (!api.token) throw signInRedirect(request);
  const editId = new URL(request.url).searchParams.get('edit');
  const [{ data: me }, noteAnswer] = await Promise.all([
    api.client.GET('/v1/me'),
    editId ? api.client.GET('/v1/notes/{id}', { params: { path: { id: editId } } }) : undefined,
  ]);
  if (!me) throw signInRedirect(request);
  const note = noteAnswer?.data;
  const edited: EditedNote | null =
    note && note.authorId === me.id
      ? {
          clientId: note.clientId,
          title: note.title,
          body: note.body,
          languages: note.languages,
          cultureTags: note.cultureTags,
          version: note.version,
        }
      : null;
  return { edited, authorId: me.id };
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [
    { title: `${t('composer.pageTitle')} · cyberstall` },
    { name: 'robots', content: 'noindex' },
  ];
}

export default function NoteComposer() {
  const { edited, authorId } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section>
      <h1>{edited ? t('composer.editTitle') : t('composer.pageTitle')}</h1>
      <p className="hint">
        {t('composer.intro')} <Link to="/notes">{t('notes.title')}</Link>
      </p>
      <Composer key={edited?.clientId ?? 'new'} edited={edited} authorId={authorId} />
    </section>
  );
}
