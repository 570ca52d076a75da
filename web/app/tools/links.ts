import type { LinksFunction } from 'react-router';
import toolsSheet from './tools.css?url';

/** The stylesheet of the account, seller and notes pages, linked by those routes only. */
export const toolsLinks: LinksFunction = () => [{ rel: 'stylesheet', href: toolsSheet }];
