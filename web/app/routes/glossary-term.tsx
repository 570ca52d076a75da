import { useTranslation } from 'react-i18next';
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaArgs,
} from 'react-router';
import { apiFor, failure } from '../api/client.server';
import { requireSameOrigin, signInRedirect } from '../auth/session.server';
import { problemOf, type Problem } from '../components/FormProblem';
import { ScopedProblem } from '../glossary/ScopedProblem';
import { LocalTime } from '../format/LocalTime';
import { absoluteUrl, summary } from '../format/share';
import { LanguageSelect } from '../glossary/LanguageSelect';
import { viewerLanguageFirst } from '../glossary/pick-explanation';
import { metaTranslator } from '../i18n/meta';
import { languageOf } from '../i18n/preferences.server';

/** A term with its explanations: the viewer's language first, then the rest, best voted first. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  const term = params.term ?? '';
  const { data, error, response } = await api.client.GET('/v1/glossary/terms/{term}', {
    params: { path: { term } },
  });
  if (!data) throw failure(response.status === 400 ? 404 : response.status, error);
  const language = await languageOf(request);
  return {
    term: data,
    explanations: viewerLanguageFirst(data.explanations, language),
    language,
    signedIn: api.token !== null,
    url: absoluteUrl(`/glossary/${encodeURIComponent(data.term)}`, request, api.server),
  };
}

type Outcome = { explained: 'published' | 'pending_review' | 'rejected' } | Problem;

/** A vote, a vote withdrawn, or a new explanation. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  if (!api.token) return signInRedirect(request);
  const form = await request.formData();
  const intent = form.get('intent');
  if (intent === 'vote' || intent === 'unvote') {
    const path = { params: { path: { id: String(form.get('explanationId') ?? '') } } };
    const { data, error, response } =
      intent === 'vote'
        ? await api.client.POST('/v1/glossary/explanations/{id}/votes', path)
        : await api.client.DELETE('/v1/glossary/explanations/{id}/votes', path);
    return data ? null : problemOf(response, error);
  }
  const { data, error, response } = await api.client.POST(
    '/v1/glossary/terms/{term}/explanations',
    {
      params: { path: { term: params.term ?? '' } },
      body: { language: String(form.get('language') ?? ''), text: String(form.get('text') ?? '') },
    },
  );
  return (data ? { explained: data.status } : problemOf(response, error)) satisfies Outcome;
}

export function meta({ matches, loaderData }: MetaArgs<typeof loader>) {
  const t = metaTranslator(matches);
  if (!loaderData) return [{ title: `${t('notFound.title')} · cyberstall` }];
  const { term, explanations, url } = loaderData;
  const description = summary(explanations[0]?.text ?? t('glossary.description'));
  return [
    { title: `${term.term} · ${t('glossary.title')} · cyberstall` },
    { name: 'description', content: description },
    { property: 'og:type', content: 'article' },
    { property: 'og:title', content: term.term },
    { property: 'og:description', content: description },
    { property: 'og:url', content: url },
    { tagName: 'link', rel: 'canonical', href: url },
  ];
}

export default function GlossaryTermPage() {
  const { term, explanations, language, signedIn } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const location = useLocation();
  const { t } = useTranslation();
  const problem = outcome && 'status' in outcome ? outcome : undefined;
  const explained = outcome && 'explained' in outcome ? outcome.explained : undefined;
  return (
    <article className="narrow-article glossary-term-page">
      <p>
        <Link to="/glossary">{t('glossary.title')}</Link>
      </p>
      <h1 lang={term.language}>{term.term}</h1>
      <p className="card-meta">{t('glossary.explanations', { count: term.explanationCount })}</p>
      {explanations.length === 0 ? (
        <p className="notice" role="status">
          {t('glossary.noExplanationYet')}
        </p>
      ) : (
        <ol className="explanations">
          {explanations.map((explanation) => (
            <li key={explanation.id} className="explanation">
              <p lang={explanation.language}>{explanation.text}</p>
              <p className="card-meta">
                {explanation.authorName ?? t('notes.someone')} · {explanation.language} ·{' '}
                <LocalTime iso={explanation.publishedAt ?? explanation.createdAt} />
              </p>
              {explanation.status !== 'published' ? (
                <p className="notice">{t(`glossary.status.${explanation.status}`)}</p>
              ) : (
                <Form method="post" className="vote">
                  <input type="hidden" name="explanationId" value={explanation.id} />
                  <input
                    type="hidden"
                    name="intent"
                    value={explanation.votedByMe ? 'unvote' : 'vote'}
                  />
                  <button
                    type="submit"
                    className="button"
                    aria-pressed={explanation.votedByMe}
                    disabled={busy || !signedIn}
                  >
                    {explanation.votedByMe ? t('glossary.voted') : t('glossary.vote')}
                  </button>{' '}
                  <span>{t('glossary.votes', { count: explanation.voteCount })}</span>
                </Form>
              )}
            </li>
          ))}
        </ol>
      )}
      <h2>{t('glossary.explainTitle')}</h2>
      {explained ? (
        <p className="notice success" role="status">
          {t(`glossary.explained.${explained}`)}
        </p>
      ) : null}
      {signedIn ? (
        <Form
          method="post"
          className="stack"
          aria-describedby={problem ? 'form-problem' : undefined}
        >
          <ScopedProblem problem={problem} scope="glossary" />
          <input type="hidden" name="intent" value="explain" />
          <label htmlFor="explanation-language">{t('glossary.explanationLanguage')}</label>
          <LanguageSelect id="explanation-language" name="language" defaultValue={language} />
          <label htmlFor="explanation-text">{t('glossary.explanationText')}</label>
          <textarea id="explanation-text" name="text" required maxLength={2000} rows={5} />
          <p className="hint">{t('glossary.explainHint')}</p>
          <button type="submit" className="button primary" disabled={busy}>
            {t('glossary.explain')}
          </button>
        </Form>
      ) : (
        <p>
          <Link to={`/signin?next=${encodeURIComponent(location.pathname)}`}>
            {t('glossary.signInToExplain')}
          </Link>
        </p>
      )}
    </article>
  );
}
