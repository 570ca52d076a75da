import type { LinksFunction } from 'react-router';
import opsSheet from './ops.css?url';

/** The tool pages' own sheet, beside the console layout's. */
export const opsLinks: LinksFunction = () => [{ rel: 'stylesheet', href: opsSheet }];
