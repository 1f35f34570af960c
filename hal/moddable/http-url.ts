/**
 * Splits an absolute http:// URL into what Moddable's legacy HTTP client takes: host, port and path
 * (modules/network/http/http.js builds the request line from `path` and the Host header from `host`).
 * Device code: there is no URL global on the device unless a build installs one (reference/moddable.md
 * §1, mcpack's globals), and this needs very little of one. RFC 3986 §3: scheme "://" authority path-abempty
 * ["?" query]; the fragment never goes on the wire (§3.5).
 *
 * Only http is accepted. https needs the SDK's TLS socket (`Socket: SecureSocket` and a CA certificate in
 * the build), which this firmware does not include yet: an https URL is refused with a named error rather
 * than sent in clear.
 */

export type HttpUrlFailure = 'BadUrl' | 'UnsupportedScheme';

export class HttpUrlError extends Error {
  readonly code: HttpUrlFailure;

  constructor(code: HttpUrlFailure, message: string) {
    super(`${code}: ${message}`);
    this.code = code;
  }

  // A getter, not an assignment: XS freezes Error.prototype after preload (moddable.md §5).
  override get name(): string {
    return 'HttpUrlError';
  }
}

export interface HttpTarget {
  /** A DNS name or an IPv4 address (Moddable's socket resolves either); IPv6 literals are refused. */
  readonly host: string;
  readonly port: number;
  /** Path and query, starting with "/". */
  readonly path: string;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;
/** A reg-name or IPv4 address (RFC 3986 §3.2.2), without percent-encoding. */
const HOST = /^[a-zA-Z0-9.-]+$/;

export function parseHttpUrl(url: string): HttpTarget {
  if (typeof url !== 'string') throw new HttpUrlError('BadUrl', 'the URL must be text');
  const scheme = SCHEME.exec(url);
  if (scheme === null) throw new HttpUrlError('BadUrl', `${JSON.stringify(url)} is not an absolute URL`);
  const name = scheme[1].toLowerCase();
  if (name === 'https') throw new HttpUrlError('UnsupportedScheme', `${url}: https needs TLS, which this build does not include`);
  if (name !== 'http') throw new HttpUrlError('UnsupportedScheme', `${url}: only http:// is supported`);
  const rest = url.slice(scheme[0].length).split('#')[0];
  const slash = rest.search(/[/?]/);
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const tail = slash < 0 ? '' : rest.slice(slash);
  const path = tail === '' ? '/' : tail.startsWith('?') ? `/${tail}` : tail;
  if (/\s/.test(path)) throw new HttpUrlError('BadUrl', `${JSON.stringify(url)}: white space in the path`);
  if (authority.includes('@')) throw new HttpUrlError('BadUrl', `${url}: user information in a URL is not supported`);
  const colon = authority.lastIndexOf(':');
  const host = (colon < 0 ? authority : authority.slice(0, colon)).toLowerCase();
  const portText = colon < 0 ? '' : authority.slice(colon + 1);
  if (!HOST.test(host) || host.startsWith('.') || host.startsWith('-')) throw new HttpUrlError('BadUrl', `${JSON.stringify(url)}: bad host "${host}"`);
  let port = 80;
  // An empty port means the default (RFC 3986 §3.2.3).
  if (portText !== '') {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) throw new HttpUrlError('BadUrl', `${JSON.stringify(url)}: bad port "${portText}"`);
  }
  return { host, port, path };
}
