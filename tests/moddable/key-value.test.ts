/**
 * PreferenceKeyValue on a fake of "preference" with NVS's rules (tools/xs/moddable-fakes/fake-storage.ts):
 * Preference's limits checked before NVS sees a value, bytes stored as exact ArrayBuffers, text as text.
 */
import { KeyValueError, PREFERENCE_DOMAIN, PreferenceKeyValue } from '../../hal/moddable/key-value.js';
import { FakePreference } from '../../tools/xs/moddable-fakes/fake-storage.js';

function setUp() {
  const preference = new FakePreference();
  return { preference, kv: new PreferenceKeyValue(preference) };
}

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (error) {
    return error instanceof KeyValueError ? error.code : `not a KeyValueError: ${String(error)}`;
  }
  return undefined;
};

test('keeps everything in the "covey" domain', () => {
  const { preference, kv } = setUp();
  kv.set('seed', Uint8Array.of(1, 2, 3));
  expect(PREFERENCE_DOMAIN).toBe('covey');
  expect(preference.keys('covey')).toEqual(['seed']);
});

test('bytes go in as an ArrayBuffer of exactly their length, even from a view into a larger buffer', () => {
  const { preference, kv } = setUp();
  const backing = Uint8Array.from({ length: 64 }, (_, i) => i);
  kv.set('seed', backing.subarray(8, 40));
  const stored = preference.get('covey', 'seed');
  expect(stored).toBeInstanceOf(ArrayBuffer);
  expect(Array.from(new Uint8Array(stored as ArrayBuffer))).toEqual(Array.from(backing.subarray(8, 40)));
});

test('bytes come back as a fresh Uint8Array and text as text', () => {
  const { kv } = setUp();
  kv.set('seed', Uint8Array.of(9, 8, 7));
  kv.set('settings', '{"region":"EU868"}');
  const first = kv.get('seed') as Uint8Array;
  first[0] = 0;
  expect(kv.get('seed')).toEqual(Uint8Array.of(9, 8, 7));
  expect(kv.get('settings')).toBe('{"region":"EU868"}');
  expect(kv.get('missing')).toBeUndefined();
});

test('keys of 1 to 15 bytes are accepted; empty, 16-byte and multi-byte-overlong keys are BadKey', () => {
  const { kv } = setUp();
  kv.set('a'.repeat(15), 'x');
  expect(codeOf(() => kv.set('', 'x'))).toBe('BadKey');
  expect(codeOf(() => kv.set('a'.repeat(16), 'x'))).toBe('BadKey');
  expect(codeOf(() => kv.set('é'.repeat(8), 'x'))).toBe('BadKey');
  expect(codeOf(() => kv.get('a'.repeat(16)))).toBe('BadKey');
});

test('a domain longer than 15 bytes is refused', () => {
  expect(() => new PreferenceKeyValue(new FakePreference(), 'a-domain-too-long')).toThrow(KeyValueError);
});

test('4,000 bytes fit, 4,001 are ValueTooLarge and never reach NVS', () => {
  const { preference, kv } = setUp();
  kv.set('big', new Uint8Array(4000));
  const sets = preference.sets;
  expect(codeOf(() => kv.set('big', new Uint8Array(4001)))).toBe('ValueTooLarge');
  expect(preference.sets).toBe(sets);
});

test('text up to 3,999 UTF-8 bytes fits (NVS counts the NUL in its 4,000); 4,000 is ValueTooLarge', () => {
  const { kv } = setUp();
  kv.set('text', 'x'.repeat(3999));
  expect(codeOf(() => kv.set('text', 'x'.repeat(4000)))).toBe('ValueTooLarge');
  expect(codeOf(() => kv.set('text', 'é'.repeat(2000)))).toBe('ValueTooLarge');
});

test('text with a NUL inside is refused (nvs_set_str would cut it there)', () => {
  const { kv } = setUp();
  expect(codeOf(() => kv.set('text', 'a\u0000b'))).toBe('BadValue');
});

test('a value that is neither text nor a Uint8Array is BadValue', () => {
  const { kv } = setUp();
  expect(codeOf(() => kv.set('n', 42 as never))).toBe('BadValue');
  expect(codeOf(() => kv.set('b', new ArrayBuffer(2) as never))).toBe('BadValue');
});

test('a boolean or integer someone else stored in the domain is UnexpectedType on read', () => {
  const { preference, kv } = setUp();
  preference.set('covey', 'flag', true);
  preference.set('covey', 'count', 3);
  expect(codeOf(() => kv.get('flag'))).toBe('UnexpectedType');
  expect(codeOf(() => kv.get('count'))).toBe('UnexpectedType');
});

test('a store failure is StoreFailed, with NVS\'s error as the cause', () => {
  const { preference, kv } = setUp();
  preference.failWith = new Error('nvs set fail');
  try {
    kv.set('seed', Uint8Array.of(1));
    throw new Error('expected a failure');
  } catch (error) {
    expect(error).toBeInstanceOf(KeyValueError);
    expect((error as KeyValueError).code).toBe('StoreFailed');
    expect(((error as KeyValueError).cause as Error).message).toBe('nvs set fail');
    expect((error as Error).name).toBe('KeyValueError');
  }
});

test('delete removes the key; deleting a missing key is fine', () => {
  const { kv } = setUp();
  kv.set('beaconEpoch', '12');
  kv.delete('beaconEpoch');
  kv.delete('beaconEpoch');
  expect(kv.get('beaconEpoch')).toBeUndefined();
});
