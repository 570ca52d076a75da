import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { classifyAddress } from './target-address';
import { RefusedTargetError } from './refused-target-error';

/** The host of a URL as sockets see it: IPv6 literals without their brackets. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

function check(host: string, address: string, allowPrivate: boolean): void {
  const kind = classifyAddress(address);
  if (kind === 'public' || (kind === 'private' && allowPrivate)) return;
  throw new RefusedTargetError(host, kind);
}

/** Every address `host` resolves to, each one checked: one refused address refuses the host. */
export function resolveChecked(host: string, allowPrivate: boolean): Promise<LookupAddress[]> {
  if (isIP(host)) {
    check(host, host, allowPrivate);
    return Promise.resolve([{ address: host, family: isIP(host) }]);
  }
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => {
      if (error || addresses.length === 0)
        return reject(new RefusedTargetError(host, 'unresolvable'));
      try {
        for (const { address } of addresses) check(host, address, allowPrivate);
        resolve(addresses);
      } catch (refusal) {
        reject(refusal as Error);
      }
    });
  });
}

/** Refuses a URL a webhook may not be sent to: not http(s), or its host's addresses. */
export async function checkTargetUrl(url: URL, allowPrivate: boolean): Promise<void> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RefusedTargetError(url.hostname, 'scheme');
  await resolveChecked(hostOf(url), allowPrivate);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request: the socket connects to the very addresses checked here, so a
 * name that resolved to a public address at registration and to 127.0.0.1 now (DNS rebinding)
 * is refused at connect time.
 */
export function checkedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolveChecked(hostname, allowPrivate).then(
      (addresses) => {
        const wanted = options.family
          ? addresses.filter((a) => a.family === options.family)
          : addresses;
        if (options.all) return callback(null, wanted);
        const first = wanted[0];
        if (!first)
          return callback(
            Object.assign(new Error(`${hostname}: no address`), { code: 'ENOTFOUND' }),
            '',
          );
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
