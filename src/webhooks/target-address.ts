import { BlockList, isIP } from 'node:net';

/**
 * What an address is, for a webhook target: `public` may be called; `private` (RFC 1918,
 * loopback, CGNAT, IPv6 unique-local) only where WEBHOOKS_ALLOW_PRIVATE allows it (local
 * development, tests); `link-local` (cloud metadata at 169.254.169.254) and `reserved`
 * (multicast, documentation, unspecified, translation prefixes that can embed any IPv4) never.
 */
export type AddressClass = 'public' | 'private' | 'link-local' | 'reserved';

function blockList(v4: Array<[string, number]>, v6: Array<[string, number]>): BlockList {
  const list = new BlockList();
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, 'ipv6');
  return list;
}

const LINK_LOCAL = blockList([['169.254.0.0', 16]], [['fe80::', 10]]);

const PRIVATE = blockList(
  [
    ['10.0.0.0', 8],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['127.0.0.0', 8],
    ['100.64.0.0', 10],
  ],
  [
    ['::1', 128],
    ['fc00::', 7],
  ],
);

// IANA special-purpose registries (RFC 6890 and successors): nothing an integrator listens on.
const RESERVED = blockList(
  [
    ['0.0.0.0', 8],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.88.99.0', 24],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ],
  [
    ['::', 96],
    ['64:ff9b::', 96],
    ['64:ff9b:1::', 48],
    ['100::', 64],
    ['2001::', 23],
    ['2001:db8::', 32],
    ['2002::', 16],
    ['fec0::', 10],
    ['ff00::', 8],
  ],
);

/** The 8 groups of an IPv6 address, `::` and a trailing dotted IPv4 expanded. */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0]!;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string | undefined) =>
    part ? part.split(':').map((group) => parseInt(group, 16)) : [];
  const start = parse(head);
  const end = parse(tail);
  const middle = tail === undefined ? [] : new Array<number>(8 - start.length - end.length).fill(0);
  return [...start, ...middle, ...end];
}

/** `::ffff:a.b.c.d` (in any spelling) is the IPv4 address a.b.c.d to the socket that uses it. */
function mappedIpv4(address: string): string | null {
  const groups = ipv6Groups(address);
  if (groups.length !== 8 || groups.slice(0, 5).some((g) => g !== 0) || groups[5] !== 0xffff)
    return null;
  const [high, low] = [groups[6]!, groups[7]!];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

export function classifyAddress(address: string): AddressClass {
  const family = isIP(address);
  if (family === 0) return 'reserved';
  if (family === 6) {
    const v4 = mappedIpv4(address);
    if (v4) return classifyAddress(v4);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (LINK_LOCAL.check(address, type)) return 'link-local';
  if (PRIVATE.check(address, type)) return 'private';
  if (RESERVED.check(address, type)) return 'reserved';
  return 'public';
}

/** Whether a webhook may be sent to `address`, under WEBHOOKS_ALLOW_PRIVATE's setting. */
export function isAllowedTarget(address: string, allowPrivate: boolean): boolean {
  const kind = classifyAddress(address);
  return kind === 'public' || (kind === 'private' && allowPrivate);
}
