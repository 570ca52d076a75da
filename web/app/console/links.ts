import type { LinksFunction } from 'react-router';
import toolsSheet from '../tools/tools.css?url';
import consoleSheet from './console.css?url';

/** The console's stylesheets (the tools sheet for tabs, lists and forms), linked by its layout. */
export const consoleLinks: LinksFunction = () => [
  { rel: 'stylesheet', href: toolsSheet },
  { rel: 'stylesheet', href: consoleSheet },
];
