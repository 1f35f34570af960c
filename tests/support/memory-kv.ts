/** A KeyValue store in memory with Preference's limits (src/ports.ts KEY_VALUE_LIMITS), for runtime tests. */
import { KEY_VALUE_LIMITS, type KeyValue } from '../../src/ports.js';

export class MemoryKeyValue implements KeyValue {
  readonly values = new Map<string, Uint8Array | string>();
  /** Every key written, in order, to check what a part stores. */
  readonly writes: string[] = [];

  get(key: string): Uint8Array | string | undefined {
    const value = this.values.get(key);
    return value instanceof Uint8Array ? value.slice() : value;
  }

  set(key: string, value: Uint8Array | string): void {
    if (key.length === 0 || key.length > KEY_VALUE_LIMITS.keyLength) throw new RangeError(`key "${key}" is not 1–15 characters`);
    const bytes = typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
    if (bytes > KEY_VALUE_LIMITS.valueBytes) throw new RangeError(`value of ${bytes} bytes for "${key}"`);
    this.values.set(key, typeof value === 'string' ? value : value.slice());
    this.writes.push(key);
  }

  delete(key: string): void {
    this.values.delete(key);
  }
}
