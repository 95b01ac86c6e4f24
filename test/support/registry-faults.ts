// Fault injection for the fixture registry: per-path-pattern latency, status codes, resets,
// truncated / stalled bodies, wrong content types and non-JSON bodies.

// What to do to a matching request. Several fields may combine (e.g. latency + status).
export interface Fault {
  latencyMs?: number;
  // Extra random delay in [0, jitterMs).
  jitterMs?: number;
  // Respond with this status instead (body: a small JSON error).
  status?: number;
  // Retry-After header value sent with `status`.
  retryAfter?: number | string;
  // Reset the TCP connection (RST) instead of responding.
  reset?: boolean;
  // Send the headers (full Content-Length) and only this many body bytes, then close.
  truncateAt?: number;
  // Send the headers and `stallAfterBytes` body bytes (default: half), then stop sending.
  stall?: boolean;
  stallAfterBytes?: number;
  // With `stall`: finish the body after this many ms; without it the body never completes.
  stallMs?: number;
  // Declare this Content-Length and send no body (a response too large to read: the client must
  // refuse it on the header alone).
  declaredLength?: number;
  // Override the Content-Type header.
  contentType?: string;
  // Replace the body with non-JSON text (content type kept unless overridden).
  nonJson?: boolean;
  // Apply to the first N matching requests only.
  times?: number;
}

// A registered fault with its match and remaining uses.
export interface FaultRule {
  pattern: string | RegExp;
  fault: Fault;
  remaining: number;
}

// Glob (`*` = any run of characters) or RegExp match against a request path.
export function pathMatches(pattern: string | RegExp, path: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(path);
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(path);
}

// The first rule that matches any of the given path spellings, consuming one use.
export function takeFault(rules: FaultRule[], paths: string[]): Fault | undefined {
  const rule = rules.find((r) => r.remaining > 0 && paths.some((p) => pathMatches(r.pattern, p)));
  if (!rule) return undefined;
  rule.remaining -= 1;
  return rule.fault;
}

// Body served by the `nonJson` fault.
export const NON_JSON_BODY = '<html><body>502 Bad Gateway (injected non-JSON body)</body></html>\n';
