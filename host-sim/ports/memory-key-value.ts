/**
 * The KeyValue port (src/ports.ts) in memory, with the limits of Moddable's Preference that the device
 * has (KEY_VALUE_LIMITS: keys of 1–15 characters, values of at most 4,000 bytes): a simulated device's
 * NVS. Values are copied in and out, as a real store would. No Node APIs: the XS tier loads it.
 */
import { KEY_VALUE_LIMITS, type KeyValue } from '../../src/ports.js';
import { utf8Length } from '../../src/settings.js';

export class MemoryKeyValue implements KeyValue {
  private readonly values = new Map<string, Uint8Array | string>();

  get(key: string): Uint8Array | string | undefined {
    const value = this.values.get(key);
    return value instanceof Uint8Array ? value.slice() : value;
  }

  set(key: string, value: Uint8Array | string): void {
    if (typeof key !== 'string' || key.length === 0 || key.length > KEY_VALUE_LIMITS.keyLength) {
      throw new RangeError(`key "${String(key)}" is not 1–${KEY_VALUE_LIMITS.keyLength} characters`);
    }
    if (typeof value !== 'string' && !(value instanceof Uint8Array)) throw new TypeError(`value for "${key}" must be text or bytes`);
    const bytes = typeof value === 'string' ? utf8Length(value) : value.length;
    if (bytes > KEY_VALUE_LIMITS.valueBytes) throw new RangeError(`value of ${bytes} bytes for "${key}" (at most ${KEY_VALUE_LIMITS.valueBytes})`);
    this.values.set(key, typeof value === 'string' ? value : value.slice());
  }

  delete(key: string): void {
    this.values.delete(key);
  }
}
