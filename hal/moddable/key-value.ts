/**
 * The KeyValue port (src/ports.ts) on Moddable's Preference (ESP-IDF NVS; reference/moddable.md §4,
 * modules/files/preference/esp32/modPreference.c), in one domain (an NVS namespace).
 *
 * Limits, checked here so that a value too big or a key too long fails with a named error before it
 * reaches NVS (whose own refusal is a bare "nvs set fail"):
 * - domain and key: 1–15 bytes (NVS_KEY_NAME_MAX_SIZE is 16 with the terminating NUL);
 * - bytes: at most 4,000 (KEY_VALUE_LIMITS), stored as an NVS blob from an ArrayBuffer holding exactly them;
 * - text: at most 3,999 UTF-8 bytes, stored as an NVS string, whose 4,000-byte limit counts the NUL
 *   (ESP-IDF NVS documentation, "Keys and values"); and no NUL inside, which nvs_set_str would cut at.
 * Values come back as stored: a blob as a fresh Uint8Array, a string as a string. A boolean or an integer
 * in the domain (Preference stores those too) is not something covey writes: reading one is an error.
 */
import type { KeyValue } from '../../src/ports.js';
import { KEY_VALUE_LIMITS, utf8Length } from '../runtime.js';
import type { PreferenceModule } from './moddable-api.js';

/** The NVS namespace covey keeps its settings, seed and beacon epoch in. */
export const PREFERENCE_DOMAIN = 'covey';

/** NVS string values hold this many bytes, the terminating NUL included. */
const NVS_STRING_BYTES = 4000;

export type KeyValueFailure = 'BadKey' | 'BadValue' | 'ValueTooLarge' | 'UnexpectedType' | 'StoreFailed';

export class KeyValueError extends Error {
  readonly code: KeyValueFailure;

  constructor(code: KeyValueFailure, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.code = code;
  }

  // A getter, not an assignment: XS freezes Error.prototype after preload (moddable.md §5).
  override get name(): string {
    return 'KeyValueError';
  }
}

function checkName(what: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || utf8Length(name) > KEY_VALUE_LIMITS.keyLength) {
    throw new KeyValueError('BadKey', `${what} ${JSON.stringify(String(name))} is not 1–${KEY_VALUE_LIMITS.keyLength} bytes`);
  }
  return name;
}

/** `bytes` as an ArrayBuffer holding exactly them (a view may share a larger buffer). */
function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

export class PreferenceKeyValue implements KeyValue {
  private readonly Preference: PreferenceModule;
  readonly domain: string;

  constructor(Preference: PreferenceModule, domain: string = PREFERENCE_DOMAIN) {
    this.Preference = Preference;
    this.domain = checkName('domain', domain);
  }

  get(key: string): Uint8Array | string | undefined {
    checkName('key', key);
    const value = this.Preference.get(this.domain, key);
    if (value === undefined || typeof value === 'string') return value;
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    throw new KeyValueError('UnexpectedType', `"${key}" holds a ${typeof value}, not text or bytes`);
  }

  set(key: string, value: Uint8Array | string): void {
    checkName('key', key);
    let stored: string | ArrayBuffer;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) throw new KeyValueError('BadValue', `text for "${key}" contains a NUL character`);
      const bytes = utf8Length(value);
      if (bytes > NVS_STRING_BYTES - 1) {
        throw new KeyValueError('ValueTooLarge', `${bytes} bytes of text for "${key}" (at most ${NVS_STRING_BYTES - 1})`);
      }
      stored = value;
    } else if (value instanceof Uint8Array) {
      if (value.length > KEY_VALUE_LIMITS.valueBytes) {
        throw new KeyValueError('ValueTooLarge', `${value.length} bytes for "${key}" (at most ${KEY_VALUE_LIMITS.valueBytes})`);
      }
      stored = exactBuffer(value);
    } else {
      throw new KeyValueError('BadValue', `value for "${key}" must be text or a Uint8Array`);
    }
    try {
      this.Preference.set(this.domain, key, stored);
    } catch (error) {
      throw new KeyValueError('StoreFailed', `"${key}": ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  delete(key: string): void {
    checkName('key', key);
    try {
      this.Preference.delete(this.domain, key);
    } catch (error) {
      throw new KeyValueError('StoreFailed', `deleting "${key}": ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}
