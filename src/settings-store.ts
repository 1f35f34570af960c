/**
 * The settings in the KeyValue store: one JSON text under the key "settings", written by the
 * provisioning tool or by `saveSettings`, read and checked at every boot. One value keeps the settings
 * consistent (they are written at once or not at all) and fits easily in a Preference value (4,000
 * bytes, ports.ts KEY_VALUE_LIMITS; a full settings object is about 600).
 */
import { toHex } from '../proofs/bytes.js';
import { KEY_VALUE_LIMITS, type KeyValue } from './ports.js';
import { parseSettings, SettingsError, SETTINGS_FIELDS, utf8Length, type Settings } from './settings.js';

export const SETTINGS_KEY = 'settings';

/** The settings as plain JSON values: the oracle key as 64 hex digits, defaults written out. */
export function settingsToPlain(settings: Settings): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const field of SETTINGS_FIELDS) {
    const value = (settings as unknown as Record<string, unknown>)[field];
    if (value !== undefined) plain[field] = value instanceof Uint8Array ? toHex(value) : value;
  }
  return plain;
}

/** The settings as the JSON text stored under SETTINGS_KEY (it holds the Wi-Fi password: never log it). */
export function settingsToJson(settings: Settings): string {
  return JSON.stringify(settingsToPlain(settings));
}

/** Reads and checks settings from their JSON text; a SettingsError if the text is not JSON or not valid. */
export function settingsFromJson(text: string): Settings {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SettingsError([`${SETTINGS_KEY}: the stored value is not JSON`]);
  }
  return parseSettings(value);
}

/** UTF-8 text to a string, for a store that hands values back as bytes; ASCII and 2–3 byte sequences. */
export function decodeUtf8(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 0x80) text += String.fromCharCode(b);
    else if (b < 0xe0) text += String.fromCharCode(((b & 0x1f) << 6) | (bytes[++i] & 0x3f));
    else if (b < 0xf0) text += String.fromCharCode(((b & 0x0f) << 12) | ((bytes[++i] & 0x3f) << 6) | (bytes[++i] & 0x3f));
    else {
      const code = ((b & 0x07) << 18) | ((bytes[++i] & 0x3f) << 12) | ((bytes[++i] & 0x3f) << 6) | (bytes[++i] & 0x3f);
      text += String.fromCodePoint(code);
    }
  }
  return text;
}

/** The stored settings, checked; undefined when the device was never provisioned. */
export function loadSettings(kv: KeyValue): Settings | undefined {
  const stored = kv.get(SETTINGS_KEY);
  if (stored === undefined) return undefined;
  return settingsFromJson(typeof stored === 'string' ? stored : decodeUtf8(stored));
}

/** Checks `settings` again and stores them; a SettingsError if they do not fit in one value. */
export function saveSettings(kv: KeyValue, settings: Settings): void {
  const json = settingsToJson(parseSettings(settingsToPlain(settings)));
  const bytes = utf8Length(json);
  if (bytes > KEY_VALUE_LIMITS.valueBytes) {
    throw new SettingsError([`${SETTINGS_KEY}: ${bytes} bytes of JSON, more than a stored value holds (${KEY_VALUE_LIMITS.valueBytes})`]);
  }
  kv.set(SETTINGS_KEY, json);
}
