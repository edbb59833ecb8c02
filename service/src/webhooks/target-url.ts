import { lookup, type LookupAddress } from 'node:dns';
import { promises as dns } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Webhook targets must be public: a URL that resolves to loopback, a private network, link-local
 * (cloud metadata at 169.254.169.254) or another special range would let a workspace make the
 * service call into its own network. Checked when a subscription is saved and again at every
 * connection (the address actually dialled), so a DNS answer that changes later cannot slip
 * past. Ranges: RFC 6890 special-purpose registries (IPv4 and IPv6).
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is loopback, private or otherwise not a public destination. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is the IPv4 address underneath.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return blocked.check(mapped, 'ipv4');
  return blocked.check(address, 'ipv6');
}

export type TargetProblem = { code: 'invalid_target_url' | 'private_target_url'; message: string };

/** Checks a subscription's URL: http(s), no credentials, and (unless allowed) a public host. */
export async function checkTargetUrl(
  text: string,
  allowPrivate: boolean,
): Promise<TargetProblem | null> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { code: 'invalid_target_url', message: 'The webhook URL is not a URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { code: 'invalid_target_url', message: 'The webhook URL must be http or https' };
  }
  if (url.username || url.password) {
    return { code: 'invalid_target_url', message: 'The webhook URL must not carry credentials' };
  }
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await dns.lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return { code: 'invalid_target_url', message: `The webhook host ${host} does not resolve` };
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
    return {
      code: 'private_target_url',
      message: `The webhook host ${host} is loopback or private; only public hosts receive webhooks`,
    };
  }
  return null;
}

/** A `lookup` for http(s).request that refuses to dial a private address (see above). */
export function publicOnlyLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as unknown as LookupAddress[];
      const refused = !allowPrivate && list.some((entry) => isPrivateAddress(entry.address));
      if (refused || list.length === 0) {
        const refusal = Object.assign(new Error(`${hostname} resolves to a private address`), {
          code: 'EPRIVATETARGET',
        });
        return callback(refusal, '', 4);
      }
      if ((options as { all?: boolean }).all) return callback(null, list as never);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
