import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { createReadableStreamFromReadable } from '@react-router/node';
import { isbot } from 'isbot';
import { renderToPipeableStream, type RenderToPipeableStreamOptions } from 'react-dom/server';
import {
  RouterContextProvider,
  ServerRouter,
  type EntryContext,
  type HandleErrorFunction,
} from 'react-router';
import { NonceContext, serverContext, type ServerContext } from './context';
import { DeferModulePreloads, deferModulePreloads } from './module-preloads';
import { pageAllowsStripe } from './security';

export const streamTimeout = 5_000;

/** Called by the Express glue (src/web) for each page request: the loaders' `context`. */
export function createLoadContext(value: ServerContext): RouterContextProvider {
  return new RouterContextProvider(new Map([[serverContext, value]]));
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: RouterContextProvider,
): Promise<Response> {
  if (request.method.toUpperCase() === 'HEAD') {
    return Promise.resolve(
      new Response(null, { status: responseStatusCode, headers: responseHeaders }),
    );
  }
  const server = loadContext.get(serverContext);
  const { nonce } = server;
  const stripe = pageAllowsStripe(routerContext);
  if (nonce === undefined) {
    // Rendered to be kept for other signed-out visitors: whole, its inline scripts hashed.
    return renderWhole(request, responseStatusCode, routerContext).then(({ html, status }) => {
      responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
      responseHeaders.set(
        'Content-Security-Policy',
        server.securityPolicy(inlineScriptHashes(html), { stripe }),
      );
      return new Response(html, { headers: responseHeaders, status });
    });
  }
  if (stripe)
    responseHeaders.set(
      'Content-Security-Policy',
      server.securityPolicy([`'nonce-${nonce}'`], { stripe }),
    );
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const userAgent = request.headers.get('user-agent');
    // Crawlers (link previews) get the whole document at once.
    const readyOption: keyof RenderToPipeableStreamOptions =
      (userAgent && isbot(userAgent)) || routerContext.isSpaMode ? 'onAllReady' : 'onShellReady';
    let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(
      () => abort(),
      streamTimeout + 1000,
    );
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <ServerRouter context={routerContext} url={request.url} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [readyOption]() {
          shellRendered = true;
          const body = new PassThrough({
            final(callback) {
              clearTimeout(timeoutId);
              timeoutId = undefined;
              callback();
            },
          });
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
          pipe(new DeferModulePreloads(nonce)).pipe(body);
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
  });
}

/** The SHA-256 of every inline script of a page, as CSP sources. */
function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const match of html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g))
    hashes.add(
      `'sha256-${createHash('sha256')
        .update(match[1] ?? '')
        .digest('base64')}'`,
    );
  return [...hashes];
}

/** The whole document at once (no streaming), for a page kept in the page cache. */
function renderWhole(
  request: Request,
  status: number,
  routerContext: EntryContext,
): Promise<{ html: string; status: number }> {
  return new Promise((resolve, reject) => {
    let code = status;
    const chunks: Buffer[] = [];
    const timeoutId = setTimeout(() => abort(), streamTimeout + 1000);
    const { pipe, abort } = renderToPipeableStream(
      <ServerRouter context={routerContext} url={request.url} />,
      {
        onAllReady() {
          const body = new PassThrough();
          body.on('data', (chunk: Buffer) => chunks.push(chunk));
          body.on('end', () => {
            clearTimeout(timeoutId);
            const html = Buffer.concat(chunks).toString('utf8');
            resolve({ html: deferModulePreloads(html), status: code });
          });
          body.on('error', reject);
          pipe(body);
        },
        onShellError(error: unknown) {
          clearTimeout(timeoutId);
          reject(error);
        },
        onError(error: unknown) {
          code = 500;
          console.error(error);
        },
      },
    );
  });
}

/** Aborted requests (a visitor navigating away) are not errors worth logging. */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  console.error(error);
};
