// Where notifications may go. Channel URLs and SMTP hosts are typed by workspace admins, and the
// server connects to them from inside its own network: without a policy a channel could reach the
// server's loopback services, the cloud metadata endpoint or link-local devices, and its test
// results would tell what answered (a port scanner). One policy, applied when a channel is saved
// (a clear message to the admin) and again on every connection, after DNS resolution and on the
// address actually connected to, so a name that resolves elsewhere later (DNS rebinding) is caught
// where it matters. Private RFC 1918 ranges stay allowed: intranet relays are a normal set-up; an
// operator lets a refused address through with ZIZHI_CHANNEL_ALLOW_HOSTS.
import dns from 'node:dns';
import net from 'node:net';

export type RefusedKind = 'loopback' | 'unspecified' | 'link-local' | 'metadata' | 'multicast' | 'broadcast';

const KIND_ZH: Record<RefusedKind, string> = {
  loopback: '回环地址',
  unspecified: '未指定地址',
  'link-local': '链路本地地址',
  metadata: '云服务器元数据地址',
  multicast: '组播地址',
  broadcast: '广播或保留地址',
};

/** A connection the policy refused; its message is the fixed reason recorded in the delivery log. */
export class AddressRefusedError extends Error {
  readonly code = 'ZIZHI_ADDRESS_REFUSED';
  constructor(readonly kind: RefusedKind) {
    super(`地址不允许：${KIND_ZH[kind]}`);
  }
}

// ---- addresses as numbers -----------------------------------------------------------------------

interface Ip {
  v6: boolean;
  /** 32 bits for IPv4, 128 for IPv6. */
  value: bigint;
}

interface Range extends Ip {
  bits: number;
}

const width = (ip: Ip) => (ip.v6 ? 128n : 32n);

function parseV4(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseV6(text: string): bigint {
  let s = text;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseV4(tail);
    s = `${s.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [left, right] = s.includes('::') ? s.split('::') : [s, undefined];
  const head = left ? left.split(':') : [];
  const rest = right ? right.split(':') : [];
  const zeros = right === undefined ? 0 : 8 - head.length - rest.length;
  return [...head, ...Array<string>(zeros).fill('0'), ...rest].reduce(
    (acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)),
    0n,
  );
}

/**
 * An address as a number, IPv4-mapped IPv6 (::ffff:127.0.0.1) folded into IPv4: the kernel
 * connects to the IPv4 address, so the IPv4 rules must apply. Null when `text` is not an address.
 */
function parseIp(text: string): Ip | null {
  const s = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (net.isIPv4(s)) return { v6: false, value: parseV4(s) };
  if (!net.isIPv6(s)) return null;
  const value = parseV6(s);
  if (value >> 32n === 0xffffn) return { v6: false, value: value & 0xffffffffn };
  return { v6: true, value };
}

function range(text: string): Range {
  const [address, bits] = text.split('/');
  const ip = parseIp(address!)!;
  return { ...ip, bits: bits === undefined ? Number(width(ip)) : Number(bits) };
}

function inRange(ip: Ip, r: Range): boolean {
  if (ip.v6 !== r.v6) return false;
  const shift = width(ip) - BigInt(r.bits);
  return ip.value >> shift === r.value >> shift;
}

// Metadata services first: they sit inside other refused ranges, and the message should name them.
// 169.254.169.254: AWS, GCP, Azure, OpenStack, Huawei and most others; 169.254.170.2: AWS ECS task
// credentials; 169.254.0.23: Tencent Cloud; 100.100.100.200: Alibaba Cloud (inside the shared
// 100.64/10 range, which stays allowed otherwise); 168.63.129.16: Azure's host endpoint;
// 192.0.0.192: Oracle Cloud; fd00:ec2::254: AWS over IPv6 (inside the allowed ULA range).
const RULES: [Range, RefusedKind][] = [
  ...['169.254.169.254', '169.254.170.2', '169.254.0.23', '100.100.100.200', '168.63.129.16', '192.0.0.192'].map(
    (a): [Range, RefusedKind] => [range(a), 'metadata'],
  ),
  [range('fd00:ec2::254'), 'metadata'],
  [range('0.0.0.0/8'), 'unspecified'],
  [range('127.0.0.0/8'), 'loopback'],
  [range('169.254.0.0/16'), 'link-local'],
  [range('224.0.0.0/4'), 'multicast'],
  // 255.255.255.255 and the rest of the old class E: nothing legitimate answers there.
  [range('240.0.0.0/4'), 'broadcast'],
  [range('::/128'), 'unspecified'],
  [range('::1/128'), 'loopback'],
  [range('fe80::/10'), 'link-local'],
  [range('ff00::/8'), 'multicast'],
];

/** IPv6 ranges that carry an IPv4 address a gateway or the stack may end up connecting to. */
const EMBEDDING: [Range, (v: bigint) => bigint][] = [
  [range('::/96'), (v) => v & 0xffffffffn], // IPv4-compatible (deprecated)
  [range('64:ff9b::/96'), (v) => v & 0xffffffffn], // NAT64
  [range('64:ff9b:1::/48'), (v) => v & 0xffffffffn], // local-use NAT64
  [range('2002::/16'), (v) => (v >> 80n) & 0xffffffffn], // 6to4
];

/** Why an address is refused, or null when it is an ordinary (public or private) address. */
export function classifyAddress(address: string): RefusedKind | null {
  const ip = parseIp(address);
  if (!ip) return 'unspecified';
  for (const [r, kind] of RULES) if (inRange(ip, r)) return kind;
  if (ip.v6) {
    for (const [r, embedded] of EMBEDDING) {
      if (inRange(ip, r)) return classifyAddress(formatV4(embedded(ip.value)));
    }
  }
  return null;
}

const formatV4 = (v: bigint) => [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');

// ---- the allow-list -----------------------------------------------------------------------------

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** A host as compared: lower case, no brackets around IPv6, no trailing dot. */
export const normaliseHost = (host: string) =>
  host
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();

/**
 * One ZIZHI_CHANNEL_ALLOW_HOSTS entry: an exact host name, an IP address or a CIDR range; null when
 * it is none of these. A name whose last label is all digits is refused: it is a mistyped address,
 * and allowing it as a name would not allow the address it was meant to be.
 */
export function parseAllowEntry(entry: string): { name: string } | { range: Range } | null {
  const text = entry.trim();
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const ip = parseIp(address);
  if (ip) {
    if (slash < 0) return { range: { ...ip, bits: Number(width(ip)) } };
    const bitsText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(bitsText)) return null;
    let bits = Number(bitsText);
    // An IPv4-mapped range (::ffff:10.0.0.0/104) counts as the IPv4 range it maps.
    if (!ip.v6 && net.isIPv6(address.replace(/^\[(.*)\]$/, '$1'))) bits -= 96;
    if (bits < 0 || bits > Number(width(ip))) return null;
    return { range: { ...ip, bits } };
  }
  const name = normaliseHost(text);
  if (slash >= 0 || !HOST_NAME.test(name) || /(^|\.)\d+$/.test(name)) return null;
  return { name };
}

export interface AddressPolicy {
  /** Host names allowed whatever they resolve to. */
  names: ReadonlySet<string>;
  ranges: readonly Range[];
  /** Every address of a host name; tests replace it to play a resolver that changes its answer. */
  resolve: (host: string) => Promise<string[]>;
}

const systemResolve = async (host: string) =>
  (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

const policies = new Map<string, AddressPolicy>();

/**
 * The policy with these allow-list entries (already validated by the configuration). One object
 * per list, so the HTTP agents kept per policy are shared by every send under it.
 */
export function addressPolicy(
  allowHosts: readonly string[] = [],
  resolve: AddressPolicy['resolve'] = systemResolve,
): AddressPolicy {
  const key = allowHosts.join(',');
  const cached = resolve === systemResolve ? policies.get(key) : undefined;
  if (cached) return cached;
  const names = new Set<string>();
  const ranges: Range[] = [];
  for (const entry of allowHosts) {
    const parsed = parseAllowEntry(entry);
    if (!parsed) throw new Error(`ZIZHI_CHANNEL_ALLOW_HOSTS: "${entry}" is not a host name, IP address or CIDR range`);
    if ('name' in parsed) names.add(parsed.name);
    else ranges.push(parsed.range);
  }
  const policy = { names, ranges, resolve };
  if (resolve === systemResolve) policies.set(key, policy);
  return policy;
}

/**
 * The operator's own ZIZHI_SMTP_URL: configured by whoever runs the server, so a relay on
 * localhost is legitimate there.
 */
export const OPERATOR_POLICY = addressPolicy(['0.0.0.0/0', '::/0']);

/** Why the policy refuses to connect to `address`, or null. */
export function refusal(policy: AddressPolicy, address: string): RefusedKind | null {
  const kind = classifyAddress(address);
  if (!kind) return null;
  const ip = parseIp(address);
  if (ip && policy.ranges.some((r) => inRange(ip, r))) return null;
  return kind;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * The addresses to connect to for `host`: an address literal as it is, a name resolved. Every
 * resolved address must be allowed, not just one: the system would try the others when the first
 * fails. Throws AddressRefusedError, or the resolver's error (ENOTFOUND …).
 */
export async function resolveAllowed(policy: AddressPolicy, host: string): Promise<ResolvedAddress[]> {
  const name = normaliseHost(host);
  const family = net.isIP(name);
  if (family !== 0) {
    const kind = refusal(policy, name);
    if (kind) throw new AddressRefusedError(kind);
    return [{ address: name, family: family as 4 | 6 }];
  }
  const addresses = await policy.resolve(name);
  if (addresses.length === 0) throw Object.assign(new Error(`no address for ${name}`), { code: 'ENOTFOUND' });
  if (!policy.names.has(name)) {
    for (const address of addresses) {
      const kind = refusal(policy, address);
      if (kind) throw new AddressRefusedError(kind);
    }
  }
  return addresses.map((address) => ({ address, family: net.isIPv6(address) ? 6 : 4 }));
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for net/http/https connections that applies the policy to the addresses the socket is
 * about to connect to (node calls it for host names; literals are checked by the caller).
 */
export function guardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    resolveAllowed(policy, hostname).then(
      (all) => {
        const wanted =
          options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        const list = wanted.length > 0 ? wanted : all;
        if (options.all) callback(null, list);
        else callback(null, list[0]!.address, list[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

/** The host a channel URL connects to (SMTP URLs read as HTTP ones, so 2130706433 becomes 127.0.0.1 too). */
export function channelHost(rawUrl: string): string | null {
  try {
    const url = new URL(rawUrl.trim().replace(/^smtps?:/i, 'http:'));
    return url.hostname ? normaliseHost(url.hostname) : null;
  } catch {
    return null;
  }
}

/** How long saving a channel waits for DNS before leaving the check to the send. */
const SAVE_LOOKUP_MS = 5_000;

/**
 * The refusal for a channel URL being saved, or null. A name that does not resolve (yet) is let
 * through: intranet DNS may differ between set-up and use, and every send checks again.
 */
export async function checkChannelUrl(policy: AddressPolicy, rawUrl: string): Promise<RefusedKind | null> {
  const host = channelHost(rawUrl);
  if (!host || policy.names.has(host)) return null;
  const check = resolveAllowed(policy, host).then(
    () => null,
    (err: unknown) => (err instanceof AddressRefusedError ? err.kind : null),
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), SAVE_LOOKUP_MS);
  });
  try {
    return await Promise.race([check, late]);
  } finally {
    clearTimeout(timer);
  }
}

export const refusedKindZh = (kind: RefusedKind) => KIND_ZH[kind];
