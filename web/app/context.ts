import { createContext as createReactContext, useContext } from 'react';
import { createContext } from 'react-router';

/** What the Express side tells the pages about the request they answer. */
export interface ServerContext {
  /** Where loaders reach the API of this same service (loopback, no TLS, no proxy). */
  apiOrigin: string;
  /** The visitor's address as Express resolved it, forwarded so the API's per-IP limits see it. */
  clientIp: string | undefined;
  /** Set-Cookie gets `Secure` when the public URL is https. */
  secureCookies: boolean;
  /** The public base URL for absolute links in Open Graph tags, if configured. */
  publicUrl: string | undefined;
  /** The nonce this response's Content-Security-Policy allows inline scripts with. */
  nonce: string;
}

export const serverContext = createContext<ServerContext>();

/** The per-response CSP nonce, given to React on the server only (browsers hide it from the DOM). */
export const NonceContext = createReactContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
