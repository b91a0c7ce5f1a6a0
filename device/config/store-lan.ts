import { BlockList, isIP } from 'node:net';

// Where a POS may reach the terminal API from: the store's LAN, never the internet. The kiosk's own
// firewall is its systemd unit (IPAddressDeny=any plus an allow-list, provisioning/host-access.ts), so
// the addresses a POS may use are configuration (`terminal.allowFrom`), checked here to be private.

/** The private ranges: RFC 1918, IPv6 unique local (RFC 4193) and link-local addresses. */
export const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', 'fe80::/10'];

export interface Prefix {
  readonly address: string;
  readonly bits: number;
  readonly family: 'ipv4' | 'ipv6';
}

/** `192.168.1.20` or `192.168.1.0/24` as a prefix (an address alone is all its bits); undefined if neither. */
export function parsePrefix(text: string): Prefix | undefined {
  const [address = '', bitsText, ...more] = text.split('/');
  const version = isIP(address);
  if (version === 0 || more.length > 0) return undefined;
  const width = version === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : Number.NaN;
  if (!(bits >= 0 && bits <= width)) return undefined;
  return { address, bits, family: version === 4 ? 'ipv4' : 'ipv6' };
}

const privateRanges = new BlockList();
const privateBits = PRIVATE_RANGES.map((range) => {
  const prefix = parsePrefix(range)!;
  privateRanges.addSubnet(prefix.address, prefix.bits, prefix.family);
  return prefix;
});

/** The whole prefix lies in one private range: its first address does, and it is no wider than the range. */
export function isPrivatePrefix(prefix: Prefix): boolean {
  if (!privateRanges.check(prefix.address, prefix.family)) return false;
  return privateBits.some((range) => {
    if (range.family !== prefix.family || prefix.bits < range.bits) return false;
    const one = new BlockList();
    one.addSubnet(range.address, range.bits, range.family);
    return one.check(prefix.address, prefix.family);
  });
}

/** What is wrong with a `terminal.allowFrom` value, in words for a field tech; undefined when nothing is. */
export function allowFromProblem(text: string): string | undefined {
  const entries = text.split(' ');
  for (const entry of entries) {
    const prefix = parsePrefix(entry);
    if (prefix === undefined) return `"${entry}" is not an IP address or a prefix such as 192.168.1.0/24`;
    if (!isPrivatePrefix(prefix)) {
      return `"${entry}" is not on a store LAN: only private addresses (${PRIVATE_RANGES.join(', ')}) may reach the terminal API`;
    }
  }
  return undefined;
}

/** The prefixes of a valid `terminal.allowFrom`, as systemd's IPAddressAllow= takes them. */
export function allowFromPrefixes(text: string): string[] {
  return text.split(' ');
}
