import { useTranslation } from 'react-i18next';
import {
  Form,
  Link,
  redirect,
  useActionData,
  useLoaderData,
  useNavigation,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor } from '../api/client.server';
import { requireSameOrigin, signInRedirect } from '../auth/session.server';
import { problemOf } from '../components/FormProblem';
import { ScopedProblem } from '../glossary/ScopedProblem';
import { termPath } from '../glossary/GlossaryText';
import { LanguageSelect } from '../glossary/LanguageSelect';
import { metaTranslator } from '../i18n/meta';
import { languageOf } from '../i18n/preferences.server';
import { unavailableIf } from '../api/unavailable';

/** Glossary terms, newest first; `?q=` finds terms containing it, spelled any way. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  const search = new URL(request.url).searchParams;
  const q = (search.get('q') ?? '').trim().slice(0, 50);
  const cursor = search.get('cursor') ?? undefined;
  const { data, response } = await api.client.GET('/v1/glossary/terms', {
    params: { query: { limit: 30, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) } },
  });
  return unavailableIf([response], {
    q,
    terms: data?.data ?? [],
    nextCursor: data?.nextCursor ?? null,
    failed: !data,
    signedIn: api.token !== null,
    language: await languageOf(request),
  });
}

/** Adds a term, then shows it, ready for its first explanation. */
export async function action({ request, context }: ActionFunctionArgs) {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  if (!api.token) return signInRedirect(request);
  const form = await request.formData();
  const term = String(form.get('term') ?? '');
  const language = String(form.get('language') ?? '');
  const { data, error, response } = await api.client.POST('/v1/glossary/terms', {
    body: { term, language },
  });
  if (!data) return problemOf(response, error);
  return redirect(termPath(data.term));
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [
    { title: `${t('glossary.title')} · cyberstall` },
    { name: 'description', content: t('glossary.description') },
  ];
}

export default function GlossaryPage() {
  const { q, terms, nextCursor, failed, signedIn, language } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const { t } = useTranslation();
  return (
    <section className="glossary">
      <h1>{t('glossary.title')}</h1>
      <p className="hint">{t('glossary.description')}</p>
      <Form method="get" role="search" className="glossary-search">
        <label htmlFor="glossary-q">{t('glossary.search')}</label>
        <input id="glossary-q" name="q" type="search" defaultValue={q} maxLength={50} />
        <button type="submit" className="button">
          {t('glossary.searchButton')}
        </button>
      </Form>
      {failed ? (
        <p className="notice error" role="alert">
          {t('glossary.unavailable')}
        </p>
      ) : terms.length === 0 ? (
        <p className="notice" role="status">
          {q ? t('glossary.noMatch', { q }) : t('glossary.empty')}
        </p>
      ) : (
        <ul className="row-list">
          {terms.map((term) => (
            <li key={term.id} className="row-card no-thumb">
              <div className="row-body">
                <Link to={termPath(term.term)} className="card-title" lang={term.language}>
                  {term.term}
                </Link>
                <span className="card-meta">
                  {t('glossary.explanations', { count: term.explanationCount })}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
      {nextCursor ? (
        <p className="more">
          <Link
            className="button"
            to={`?${q ? `q=${encodeURIComponent(q)}&` : ''}cursor=${encodeURIComponent(nextCursor)}`}
          >
            {t('glossary.more')}
          </Link>
        </p>
      ) : null}
      <h2>{t('glossary.addTitle')}</h2>
      {signedIn ? (
        <Form
          method="post"
          className="stack"
          aria-describedby={problem ? 'form-problem' : undefined}
        >
          <ScopedProblem problem={problem} scope="glossary" />
          <label htmlFor="new-term">{t('glossary.termLabel')}</label>
          <input id="new-term" name="term" required maxLength={50} defaultValue={q} />
          <label htmlFor="new-term-language">{t('glossary.termLanguage')}</label>
          <LanguageSelect id="new-term-language" name="language" defaultValue={language} />
          <button type="submit" className="button primary" disabled={busy}>
            {t('glossary.add')}
          </button>
        </Form>
      ) : (
        <p>
          <Link to={`/signin?next=${encodeURIComponent('/glossary')}`}>
            {t('glossary.signInToAdd')}
          </Link>
        </p>
      )}
    </section>
  );
}
