import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { RefusedTargetError } from './refused-target-error';
import { checkedLookup, hostOf, resolveChecked } from './target-guard';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature';

export interface SendOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  unixSeconds: number;
}

/** What one attempt came to: the receiver's status, or why there was none. */
export interface SendOutcome {
  statusCode: number | null;
  error: string | null;
}

/**
 * One signed POST. Redirects are not followed (a 3xx is a failed attempt): a redirect is
 * another target, and following it would skip the checks the URL passed. The socket connects
 * only to addresses checked by `checkedLookup`; an IP literal is checked here, since sockets
 * look no literal up.
 */
export async function sendSigned(
  target: string,
  body: string,
  secret: string,
  options: SendOptions,
): Promise<SendOutcome> {
  const url = new URL(target);
  try {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new RefusedTargetError(url.hostname, 'scheme');
    if (isIP(hostOf(url))) await resolveChecked(hostOf(url), options.allowPrivate);
    const statusCode = await post(url, body, secret, options);
    return { statusCode, error: null };
  } catch (error) {
    return { statusCode: null, error: describe(error) };
  }
}

function post(url: URL, body: string, secret: string, options: SendOptions): Promise<number> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        // A fresh connection per attempt: a pooled socket would skip the address check.
        agent: false,
        lookup: checkedLookup(options.allowPrivate),
        timeout: options.timeoutMs,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'User-Agent': 'cyberstall-webhooks/1',
          [SIGNATURE_HEADER]: signatureHeader(secret, body, options.unixSeconds),
        },
      },
      (res: IncomingMessage) => {
        // The answer's body is not kept: only its status counts.
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

function describe(error: unknown): string {
  if (error instanceof RefusedTargetError) return `refused: ${error.message}`;
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, 300);
}
