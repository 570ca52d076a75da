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
  /**
   * The nonce this response's Content-Security-Policy allows inline scripts with; none for a
   * page rendered to be kept for signed-out visitors (its scripts are allowed by their hashes).
   */
  nonce: string | undefined;
  /** The Content-Security-Policy allowing these script sources (and Stripe's, if asked). */
  securityPolicy: (scriptSources: readonly string[], options: { stripe: boolean }) => string;
  /** PAYMENTS_PROVIDER, and the publishable key for Stripe's Payment Element (null: none set). */
  payments: { provider: 'manual' | 'stripe'; stripePublishableKey: string | null };
}

export const serverContext = createContext<ServerContext>();

/** The per-response CSP nonce, given to React on the server only (browsers hide it from the DOM). */
export const NonceContext = createReactContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
