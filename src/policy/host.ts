// Host normalisation: the one form in which the policy compares registry, log and repository
// hosts, so that a lockfile cannot step around a policy host by spelling the same host otherwise.

// The port each scheme uses when a URL names none.
const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'https:': '443', 'http:': '80' };

// Normalises `host` or `host:port` seen under `scheme`: lower-cased (DNS names are
// case-insensitive), one trailing dot dropped (`registry.npmjs.org.` is the same DNS name, written
// fully qualified) and the scheme's default port dropped. A host the policy writes has no scheme
// and is taken as https, as every registry npm speaks to by default is. Not idempotent across
// schemes: normalise a host once, under the scheme it was seen with.
export function normalizeHost(host: string, scheme = 'https:'): string {
  const lower = host.toLowerCase();
  const withPort = /^(.*[^:]):(\d+)$/.exec(lower);
  const name = withPort === null ? lower : (withPort[1] as string);
  const port = withPort === null || withPort[2] === DEFAULT_PORTS[scheme] ? '' : `:${withPort[2] as string}`;
  return `${name.replace(/([^.])\.$/, '$1')}${port}`;
}

// The normalised host of an http(s) URL, or null when `url` is not one.
export function hostOfUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  return normalizeHost(parsed.host, parsed.protocol);
}
