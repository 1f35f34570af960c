/** The trusted-vendors file (tools/oracle/trusted-vendors.ts): its format, and a clear refusal of anything else. */
import { hotspotAddress, toHex } from '../../proofs/index.js';
import { parseTrustedVendors, TrustedVendorsError } from '../../tools/oracle/trusted-vendors.js';
import { signerFor } from '../support/keys.js';

const acme = signerFor('trusted acme').publicKey;
const other = signerFor('trusted other').publicKey;

test('reads names and keys given as hex or as cv… addresses, and finds vendors by key', () => {
  const trusted = parseTrustedVendors(JSON.stringify({
    vendors: [{ name: 'Acme Radio Works', publicKey: toHex(acme) }, { name: 'Other Co.', publicKey: hotspotAddress(other) }],
  }));
  expect(trusted.size).toBe(2);
  expect(trusted.vendor(acme)?.name).toBe('Acme Radio Works');
  expect(trusted.vendor(other)?.publicKey).toEqual(other);
  expect(trusted.vendor(signerFor('trusted stranger').publicKey)).toBeUndefined();
});

test('an empty list trusts nobody', () => {
  expect(parseTrustedVendors('{"vendors": []}').size).toBe(0);
});

const entry = (name: unknown, publicKey: unknown = toHex(acme)) => ({ name, publicKey });
test.each<[string, string, RegExp]>([
  ['not JSON', '{vendors:', /vendors\.json: not JSON/],
  ['a list at the top', '[]', /must be a JSON object \{"vendors": \[\.\.\.\]\}/],
  ['no "vendors"', '{}', /"vendors" must be an array/],
  ['an unknown top-level field', JSON.stringify({ vendors: [], vendor: [] }), /unknown field "vendor"/],
  ['an entry that is a string', JSON.stringify({ vendors: ['acme'] }), /vendors\[0\] must be an object/],
  ['an entry with an unknown field', JSON.stringify({ vendors: [{ ...entry('Acme'), key: 'x' }] }), /vendors\[0\]: unknown field "key"/],
  ['an empty name', JSON.stringify({ vendors: [entry('')] }), /vendors\[0\]: "name" must be 1–64 printable/],
  ['a name with a line feed', JSON.stringify({ vendors: [entry('Acme\nRadio')] }), /vendors\[0\]: "name"/],
  ['a 65-character name', JSON.stringify({ vendors: [entry('A'.repeat(65))] }), /vendors\[0\]: "name"/],
  ['a key that is not hex nor an address', JSON.stringify({ vendors: [entry('Acme', 'zz')] }), /vendors\[0\] \("Acme"\): "publicKey" a hotspot id is/],
  ['a mistyped address', JSON.stringify({ vendors: [entry('Acme', `${hotspotAddress(acme).slice(0, -1)}a`)] }), /"publicKey" .*checksum/],
  ['a key given as a number', JSON.stringify({ vendors: [entry('Acme', 5)] }), /"publicKey" must be 64 hex digits or a cv… address/],
  ['the same name twice', JSON.stringify({ vendors: [entry('Acme'), entry('Acme', toHex(other))] }), /vendors\[1\]: the name "Acme" is listed twice/],
  ['the same key twice', JSON.stringify({ vendors: [entry('Acme'), entry('Acme 2')] }), /vendors\[1\] \("Acme 2"\): the key cv\w+ is already listed for "Acme"/],
])('refuses %s, naming the file and the entry', (_, text, message) => {
  expect(() => parseTrustedVendors(text, 'vendors.json')).toThrow(TrustedVendorsError);
  expect(() => parseTrustedVendors(text, 'vendors.json')).toThrow(message);
});
