import { useTranslation } from 'react-i18next';
import { Link, type LoaderFunctionArgs, type MetaArgs } from 'react-router';
import { apiFor } from '../api/client.server';
import { signInRedirect } from '../auth/session.server';
import { metaTranslator } from '../i18n/meta';
import { toolsLinks } from '../tools/links';

export const links = toolsLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  if (!api.token) throw signInRedirect(request);
  return null;
}

export function meta({ matches }: MetaArgs) {
  const t = metaTranslator(matches);
  return [{ title: `${t('account.title')} · cyberstall` }, { name: 'robots', content: 'noindex' }];
}

const SECTIONS = [
  { to: '/orders', key: 'orders' },
  { to: '/account/coupons', key: 'coupons' },
  { to: '/account/points', key: 'points' },
  { to: '/sell/listings', key: 'listings' },
  { to: '/sell/listings/new', key: 'newListing' },
  { to: '/sell/orders', key: 'toShip' },
  { to: '/notes/new', key: 'writeNote' },
] as const;

/** Where a member finds their own things: orders, coupons, points, and what they sell. */
export default function Account() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('account.title')}</h1>
      <ul className="hub">
        {SECTIONS.map((section) => (
          <li key={section.key}>
            <Link to={section.to}>
              {t(`account.${section.key}`)}
              <span className="hint">{t(`account.${section.key}Hint`)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
