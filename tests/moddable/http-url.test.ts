/** parseHttpUrl: what Moddable's Request takes (host, port, path) out of an absolute http:// URL (RFC 3986 §3). */
import { HttpUrlError, parseHttpUrl } from '../../hal/moddable/http-url.js';

const codeOf = (url: string): string | undefined => {
  try {
    parseHttpUrl(url);
  } catch (error) {
    return error instanceof HttpUrlError ? error.code : 'not an HttpUrlError';
  }
  return undefined;
};

test.each([
  ['http://oracle.example/v1/entropy', { host: 'oracle.example', port: 80, path: '/v1/entropy' }],
  ['http://oracle.example:8080/v1/receipts', { host: 'oracle.example', port: 8080, path: '/v1/receipts' }],
  ['http://192.168.1.20:3000', { host: '192.168.1.20', port: 3000, path: '/' }],
  ['http://Oracle.Example/v1/entropy?epoch=7', { host: 'oracle.example', port: 80, path: '/v1/entropy?epoch=7' }],
  ['http://oracle.example?x=1', { host: 'oracle.example', port: 80, path: '/?x=1' }],
  ['HTTP://oracle.example/a#fragment', { host: 'oracle.example', port: 80, path: '/a' }],
  ['http://oracle.example:/a', { host: 'oracle.example', port: 80, path: '/a' }],
])('%s', (url, target) => {
  expect(parseHttpUrl(url)).toEqual(target);
});

test('https is refused by name: this build has no TLS', () => {
  expect(codeOf('https://oracle.example/v1/entropy')).toBe('UnsupportedScheme');
});

test('other schemes are refused', () => {
  expect(codeOf('ftp://oracle.example/')).toBe('UnsupportedScheme');
});

test.each([
  'oracle.example/v1',
  '/v1/entropy',
  'http://',
  'http://user:pass@oracle.example/',
  'http://[::1]:8080/',
  'http://oracle.example:0/',
  'http://oracle.example:65536/',
  'http://oracle.example:80a/',
  'http://oracle example/',
  'http://oracle.example/a b',
  'http://-oracle.example/',
])('refuses %s', (url) => {
  expect(codeOf(url)).toBe('BadUrl');
});
