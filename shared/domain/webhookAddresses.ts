/**
 * Where a recovery plan's webhook may go. Ferry runs inside a cloud network: a webhook must never
 * reach the instance metadata or wire-server endpoints, nor anything link-local, whatever name
 * resolves there. The same rules run on the URL when a plan is saved and on each resolved address
 * when the webhook is called.
 */
const ipv4Pattern = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const ipv6Pattern = /^[0-9a-f:]+$/i;

function isIP(text: string): 0 | 4 | 6 {
  if (ipv4Pattern.test(text)) return 4;
  return text.includes(":") && ipv6Pattern.test(text) && (text.match(/::/g) ?? []).length <= 1 ? 6 : 0;
}

const metadataAddresses = new Set(["169.254.169.254", "168.63.129.16", "fd00:ec2::254"]);

function ipv4Octets(address: string): number[] | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const text = mapped ? mapped[1]! : address;
  return isIP(text) === 4 ? text.split(".").map(Number) : undefined;
}

/** Expands an IPv6 address to its eight 16-bit groups. */
function ipv6Groups(address: string): number[] {
  const [head, tail] = address.toLowerCase().split("::") as [string, string | undefined];
  const part = (text: string | undefined) => (text ? text.split(":").map((g) => parseInt(g, 16)) : []);
  const first = part(head);
  const last = part(tail);
  return [...first, ...Array<number>(8 - first.length - last.length).fill(0), ...last];
}

/** Why an IP address may not be called, or undefined when it may. */
export function blockedAddressReason(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, "");
  const octets = ipv4Octets(bare);
  if (octets) {
    const v4 = octets.join(".");
    if (metadataAddresses.has(v4)) return `${v4} is a cloud metadata address`;
    if (octets[0] === 169 && octets[1] === 254) return `${v4} is link-local`;
    return undefined;
  }
  if (isIP(bare) !== 6) return undefined;
  const groups = ipv6Groups(bare);
  // An IPv4-mapped address (::ffff:a9fe:a9fe) is the IPv4 address it maps.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
    return blockedAddressReason([groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join("."));
  const canonical = groups.map((g) => g.toString(16)).join(":");
  if (
    canonical ===
    ipv6Groups("fd00:ec2::254")
      .map((g) => g.toString(16))
      .join(":")
  )
    return `${bare} is a cloud metadata address`;
  if (((groups[0] ?? 0) & 0xffc0) === 0xfe80) return `${bare} is link-local`;
  return undefined;
}

/** The URL's own problems (scheme, a literal blocked address, a host outside the allowed list). */
export function webhookUrlProblem(url: string, allowedHosts: readonly string[] | undefined): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "it is not a URL";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "only http and https URLs are called";
  if (parsed.username || parsed.password) return "credentials in the URL are not allowed";
  const host = parsed.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (allowedHosts !== undefined && !allowedHosts.includes(host))
    return `host ${host} is not in FERRY_WEBHOOK_ALLOWED_HOSTS`;
  return blockedAddressReason(host);
}
