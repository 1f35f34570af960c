/** The simulated NVS and the counting log of host-sim/ports/, which the XS tier runs beside the firmware. */
import { CountingLog } from '../../host-sim/ports/counting-log.js';
import { MemoryKeyValue } from '../../host-sim/ports/memory-key-value.js';
import { KEY_VALUE_LIMITS } from '../../src/ports.js';

describe('MemoryKeyValue', () => {
  test('stores text and bytes, and hands out copies', () => {
    const kv = new MemoryKeyValue();
    const seed = Uint8Array.of(1, 2, 3);
    kv.set('seed', seed);
    kv.set('beaconEpoch', '42');
    seed[0] = 9;
    const read = kv.get('seed') as Uint8Array;
    read[1] = 9;
    expect(kv.get('seed')).toEqual(Uint8Array.of(1, 2, 3));
    expect(kv.get('beaconEpoch')).toBe('42');
    kv.delete('beaconEpoch');
    expect(kv.get('beaconEpoch')).toBeUndefined();
  });

  test('refuses keys and values beyond Preference\'s limits, counting text in UTF-8 bytes', () => {
    const kv = new MemoryKeyValue();
    expect(() => kv.set('', 'x')).toThrow(RangeError);
    expect(() => kv.set('k'.repeat(KEY_VALUE_LIMITS.keyLength + 1), 'x')).toThrow(RangeError);
    expect(() => kv.set('bytes', new Uint8Array(KEY_VALUE_LIMITS.valueBytes + 1))).toThrow(RangeError);
    expect(() => kv.set('text', 'é'.repeat(KEY_VALUE_LIMITS.valueBytes / 2 + 1))).toThrow(RangeError);
    kv.set('k'.repeat(KEY_VALUE_LIMITS.keyLength), 'é'.repeat(KEY_VALUE_LIMITS.valueBytes / 2));
  });
});

test('CountingLog counts lines by level and keeps only the latest error and warning', () => {
  const log = new CountingLog();
  log.write('info', 'status');
  log.write('warn', 'beacon refused');
  log.write('error', 'upload crashed');
  log.write('error', 'receipt not made');
  expect(log.counts).toEqual({ error: 2, warn: 1, info: 1, debug: 0 });
  expect(log.lastError).toBe('receipt not made');
  expect(log.lastWarning).toBe('beacon refused');
});
