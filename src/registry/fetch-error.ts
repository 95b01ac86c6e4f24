// Why evidence could not be fetched. These become FETCH_FAILED findings for the package (the
// gate then fails closed), never a silent pass.
export type FetchFailureKind =
  // The registry answered 404: no such document.
  | 'not-found'
  // A network error, a timeout or an HTTP error that retries did not cure.
  | 'unreachable'
  // The run's --timeout expired before it was fetched.
  | 'deadline'
  // The response was not JSON, or not the shape the registry documents.
  | 'malformed'
  // The response body was larger than any real one (INPUT_TOO_LARGE): refused, not read.
  | 'too-large'
  // --offline and the cache does not hold it.
  | 'offline-cache-miss';

// A fetch that did not produce a usable document; `url` is safe to print (no credentials).
export class FetchError extends Error {
  readonly kind: FetchFailureKind;
  readonly url: string;
  readonly status: number | undefined;
  // True when the headers arrived but the body did not (cut off, stalled): worth another try.
  bodyFailed = false;

  constructor(kind: FetchFailureKind, url: string, message: string, status?: number, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'FetchError';
    this.kind = kind;
    this.url = url;
    this.status = status;
  }
}

// Removes any userinfo from a URL before it is printed or reported.
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
