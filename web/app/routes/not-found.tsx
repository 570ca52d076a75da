import { data, type MetaArgs } from 'react-router';
import { NotFound } from '../components/NotFound';
import { metaTranslator } from '../i18n/meta';

/** Any path no page claims: the not-found page, with status 404. */
export function loader() {
  return data(null, { status: 404, statusText: 'Not Found' });
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [{ title: `${t('notFound.title')} · cyberstall` }];
}

export default function NotFoundPage() {
  return <NotFound />;
}
