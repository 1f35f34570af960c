import { baseUrl, errorCodeOf, hasMediaType, retryAfterMs } from '../../src/http-answer.js';
import type { HttpResponse } from '../../src/ports.js';

const answer = (headers: Record<string, string>, body = ''): HttpResponse => ({ status: 400, headers, body: new TextEncoder().encode(body) });
const json = 'application/json';

describe('reading the oracle answers', () => {
  test('media type comparison ignores parameters and case', () => {
    expect(hasMediaType(answer({ 'content-type': 'Application/CBOR; charset=binary' }), 'application/cbor')).toBe(true);
    expect(hasMediaType(answer({ 'content-type': 'application/cbor-seq' }), 'application/cbor')).toBe(false);
    expect(hasMediaType(answer({}), 'application/cbor')).toBe(false);
  });

  test('the error code comes from a JSON error body', () => {
    expect(errorCodeOf(answer({ 'content-type': json }, '{"error":"unknown_hotspot","detail":"onboard first"}'))).toBe('unknown_hotspot');
  });

  test.each([
    ['not JSON', { 'content-type': json }, '<html>'],
    ['not an object', { 'content-type': json }, '"error"'],
    ['error not a string', { 'content-type': json }, '{"error": 5}'],
    ['not application/json', { 'content-type': 'text/plain' }, '{"error":"x"}'],
    ['longer than an error body', { 'content-type': json }, `{"error":"x","detail":"${'y'.repeat(2000)}"}`],
  ])('no error code when the body is %s', (_, headers, body) => {
    expect(errorCodeOf(answer(headers, body))).toBeUndefined();
  });

  test('an overlong error code is cut for the log', () => {
    expect(errorCodeOf(answer({ 'content-type': json }, `{"error":"${'e'.repeat(100)}"}`))).toHaveLength(40);
  });

  test('Retry-After in seconds becomes ms', () => {
    expect(retryAfterMs(answer({ 'retry-after': ' 120 ' }))).toBe(120_000);
  });

  test.each(['Wed, 21 Oct 2026 07:28:00 GMT', '-5', '1.5', '9999999999', ''])('Retry-After "%s" is not used', (value) => {
    expect(retryAfterMs(answer({ 'retry-after': value }))).toBeUndefined();
  });

  test('the base URL loses a trailing slash', () => {
    expect(baseUrl('http://oracle.example:8080/')).toBe('http://oracle.example:8080');
  });

  test.each(['oracle.example', 'ftp://oracle.example', 'http://'])('refuses "%s" as an oracle URL', (url) => {
    expect(() => baseUrl(url)).toThrow(TypeError);
  });
});
