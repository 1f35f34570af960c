/** Settings: defaults, every field's validation, the PoC channel checks, and storage in the KeyValue store. */
import { readFileSync } from 'node:fs';
import { toHex } from '../../proofs/bytes.js';
import { hotspotAddress } from '../../proofs/identity.js';
import { REGION_IDS } from '../../hal/radio/region-plan.js';
import { pocChannelOf } from '../../src/poc-channel.js';
import { KEY_VALUE_LIMITS } from '../../src/ports.js';
import { describeSettings, parseSettings, SettingsError, SETTINGS_DEFAULTS, SETTINGS_FIELDS, type Settings } from '../../src/settings.js';
import { loadSettings, saveSettings, settingsFromJson, settingsToJson, SETTINGS_KEY } from '../../src/settings-store.js';
import { signerFor } from '../support/keys.js';
import { MemoryKeyValue } from '../support/memory-kv.js';

const oracleKey = signerFor('oracle').publicKey;
const minimal = { region: 'EU868', oracleUrl: 'http://oracle.example:8080', oraclePublicKey: toHex(oracleKey) };

/** The problems parseSettings reports for `input`, or [] if it accepts it. */
function problemsOf(input: unknown): readonly string[] {
  try {
    parseSettings(input);
    return [];
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return error.problems;
  }
}

const withField = (field: string, value: unknown) => ({ ...minimal, [field]: value });
const problemsWith = (field: string, value: unknown) => problemsOf(withField(field, value));

describe('parseSettings', () => {
  test('fills in every default around the three required fields', () => {
    const settings = parseSettings(minimal);
    expect(settings).toMatchObject({ region: 'EU868', oracleUrl: 'http://oracle.example:8080', ...SETTINGS_DEFAULTS });
    expect(settings.beaconIntervalMs).toBe(6 * 3_600_000);
    expect(settings.antennaGainDbi).toBe(2.15);
    expect(settings.statusIntervalMs).toBe(300_000);
    expect(settings.verifyBeacons).toBe(true);
    expect(settings.logLevel).toBe('info');
    expect(settings.wifi).toBeUndefined();
    expect(settings.location).toBeUndefined();
    expect(settings.txPowerDbm).toBeUndefined();
    expect(Array.from(settings.oraclePublicKey)).toEqual(Array.from(oracleKey));
  });

  test.each(['region', 'oracleUrl', 'oraclePublicKey'])('names the missing required field %s', (field) => {
    const input: Record<string, unknown> = { ...minimal };
    delete input[field];
    expect(problemsOf(input)).toEqual([`${field}: required`]);
  });

  test('refuses an unknown field by name', () => {
    expect(problemsWith('beaconInterval', 1)).toEqual(['beaconInterval: unknown setting']);
  });

  test('refuses something that is not an object', () => {
    expect(() => parseSettings('EU868')).toThrow(SettingsError);
    expect(() => parseSettings(null)).toThrow(/must be an object/);
  });

  test('lists every problem in one error with the InvalidSettings code', () => {
    let caught: unknown;
    try {
      parseSettings({ region: 'XX', oracleUrl: 'ftp://x', oraclePublicKey: 'abc', logLevel: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SettingsError);
    const error = caught as SettingsError;
    expect(error.code).toBe('InvalidSettings');
    expect(error.problems.map((p) => p.split(':')[0])).toEqual(['region', 'oracleUrl', 'oraclePublicKey', 'logLevel']);
    expect(error.message).toContain('region');
    expect(error.message).toContain('logLevel');
  });

  test('reads a region in LoRaWAN spelling', () => {
    expect(parseSettings(withField('region', 'as923-1')).region).toBe('AS923_1');
  });

  test('refuses an unknown region and lists the known ones', () => {
    expect(problemsWith('region', 'EU433')[0]).toMatch(/^region: "EU433" is not one of EU868, US915/);
  });

  test.each(REGION_IDS.map((id) => [id]))('accepts %s with its own PoC channel and default power', (region) => {
    const settings = parseSettings(withField('region', region));
    const channel = pocChannelOf(settings);
    expect(channel.settings.txPowerDbm).toBe(channel.maxTxPowerDbm);
    expect(channel.maxTxPowerDbm).toBeLessThanOrEqual(channel.region.poc.maxConductedDbm);
  });

  test('drops a trailing slash from the oracle URL', () => {
    expect(parseSettings(withField('oracleUrl', 'https://oracle.example/covey/')).oracleUrl).toBe('https://oracle.example/covey');
  });

  test.each(['ftp://oracle.example', 'oracle.example', 'http://', 'http://oracle.example/?a=1', 42])(
    'refuses the oracle URL %p',
    (url) => {
      expect(problemsWith('oracleUrl', url)[0]).toMatch(/^oracleUrl: must be an http/);
    },
  );

  test('reads the oracle key as an address, as 64 hex digits or as 32 bytes', () => {
    for (const form of [hotspotAddress(oracleKey), toHex(oracleKey).toUpperCase(), oracleKey]) {
      expect(Array.from(parseSettings(withField('oraclePublicKey', form)).oraclePublicKey)).toEqual(Array.from(oracleKey));
    }
  });

  test('refuses an oracle address with a mistyped character', () => {
    const address = hotspotAddress(oracleKey);
    const typo = `${address.slice(0, 10)}${address[10] === 'a' ? 'b' : 'a'}${address.slice(11)}`;
    expect(problemsWith('oraclePublicKey', typo)[0]).toMatch(/^oraclePublicKey: .*checksum/);
  });

  test('refuses an oracle key of 31 bytes', () => {
    expect(problemsWith('oraclePublicKey', oracleKey.subarray(0, 31))[0]).toMatch(/^oraclePublicKey: must be 32 bytes/);
  });

  test.each([
    [7 * 3_600_000, /does not divide 24 h/],
    [59_000, /not from 60000 to 86400000/],
    [90_000.5, /whole number/],
    ['6h', /whole number/],
    [2 * 86_400_000, /not from/],
  ])('refuses a beacon interval of %p', (value, why) => {
    expect(problemsWith('beaconIntervalMs', value)[0]).toMatch(why);
  });

  test('accepts a beacon interval of one hour', () => {
    expect(parseSettings(withField('beaconIntervalMs', 3_600_000)).beaconIntervalMs).toBe(3_600_000);
  });

  test('accepts Wi-Fi with a WPA2 passphrase, a 64-digit key, or none', () => {
    for (const password of ['correct horse', 'ab'.repeat(32), '']) {
      expect(parseSettings(withField('wifi', { ssid: 'home', password })).wifi).toEqual({ ssid: 'home', password });
    }
  });

  test.each([
    [{ ssid: '', password: 'secret-pass' }, /wifi\.ssid/],
    [{ ssid: 'é'.repeat(17), password: 'secret-pass' }, /wifi\.ssid: must be text of 1 to 32 bytes/],
    [{ ssid: 'home', password: 'short12' }, /wifi\.password/],
    [{ ssid: 'home', password: 'x'.repeat(64) }, /wifi\.password/],
    [{ ssid: 'home', password: 'secret-pass', channel: 6 }, /wifi: unknown field channel/],
    ['home', /wifi: must be an object/],
  ])('refuses Wi-Fi settings %#', (wifi, why) => {
    expect(problemsWith('wifi', wifi).join('\n')).toMatch(why);
  });

  test('never repeats the Wi-Fi password in an error', () => {
    const problems = problemsWith('wifi', { ssid: 'home', password: 'hunter2' });
    expect(problems).toHaveLength(1);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  test.each([31, -11, 'high', Number.NaN])('refuses an antenna gain of %p', (gain) => {
    expect(problemsWith('antennaGainDbi', gain)[0]).toMatch(/^antennaGainDbi: /);
  });

  test('accepts a location and refuses one off the globe', () => {
    expect(parseSettings(withField('location', { lat: 52.52, lon: 13.405 })).location).toEqual({ lat: 52.52, lon: 13.405 });
    expect(problemsWith('location', { lat: 91, lon: 0 })).toEqual(['location.lat: 91 is not from -90 to 90']);
    expect(problemsWith('location', { lat: 0, lon: -180.5 })).toEqual(['location.lon: -180.5 is not from -180 to 180']);
    expect(problemsWith('location', { lat: 0 })[0]).toMatch(/^location\.lon: must be a number/);
  });

  test('accepts a queue limit and refuses a bad one', () => {
    expect(parseSettings(withField('queue', { maxRecords: 500 })).queue).toEqual({ maxRecords: 500 });
    expect(problemsWith('queue', { maxRecords: 0 })[0]).toMatch(/^queue\.maxRecords: 0 is not from 1/);
    expect(problemsWith('queue', { maxRecords: 2.5 })[0]).toMatch(/^queue\.maxRecords: must be a whole number/);
    expect(problemsWith('queue', { size: 5 })[0]).toMatch(/^queue: unknown field size/);
  });

  test('refuses verifyBeacons that is not a boolean, and reads false', () => {
    expect(problemsWith('verifyBeacons', 'no')[0]).toMatch(/^verifyBeacons: must be true or false/);
    expect(parseSettings(withField('verifyBeacons', false)).verifyBeacons).toBe(false);
  });

  test('refuses an unknown log level', () => {
    expect(problemsWith('logLevel', 'trace')[0]).toMatch(/^logLevel: "trace" is not one of error, warn, info, debug/);
  });

  test('turns the status line off with 0 and refuses a too-short interval', () => {
    expect(parseSettings(withField('statusIntervalMs', 0)).statusIntervalMs).toBe(0);
    expect(problemsWith('statusIntervalMs', 5_000)[0]).toMatch(/^statusIntervalMs: 5000 is not from 10000/);
  });

  test('accepts a transmit power up to the region limit for the antenna and no more', () => {
    // EU868's PoC sub-band allows 29.15 dBm EIRP: 23.15 dBm conducted with a 6 dBi antenna.
    expect(parseSettings({ ...minimal, antennaGainDbi: 6, txPowerDbm: 23 }).txPowerDbm).toBe(23);
    expect(problemsOf({ ...minimal, antennaGainDbi: 6, txPowerDbm: 24 })[0]).toMatch(/^txPowerDbm: .*from -9 to 23 dBm/);
    expect(problemsWith('txPowerDbm', 14.5)[0]).toMatch(/^txPowerDbm: must be a whole number/);
  });

  test('lowers the default power for a high-gain antenna', () => {
    const channel = pocChannelOf(parseSettings({ ...minimal, region: 'US915', antennaGainDbi: 9 }));
    expect(channel.settings.txPowerDbm).toBe(27); // 36 dBm EIRP − 9 dBi
  });

  test('accepts a PoC channel override inside the region', () => {
    const settings = parseSettings(withField('pocChannel', { frequencyHz: 868_100_000, spreadingFactor: 9 }));
    const channel = pocChannelOf(settings);
    expect(channel.settings.frequencyHz).toBe(868_100_000);
    expect(channel.settings.spreadingFactor).toBe(9);
    expect(channel.dataRate).toBe(3); // SF9BW125
    expect(channel.maxTxPowerDbm).toBe(14); // 16.15 dBm EIRP − 2.15 dBi in 868.0–868.6 MHz
  });

  test.each([
    [{ frequencyHz: 870_500_000 }, /not inside one EU868 sub-band/],
    [{ spreadingFactor: 6 }, /no data rate code/],
    [{ bandwidthHz: 62_500 }, /no data rate code/],
    [{ txPowerDbm: 10 }, /pocChannel: unknown field txPowerDbm/],
    [{ frequencyHz: 'high' }, /pocChannel\.frequencyHz: must be a whole number/],
  ])('refuses the EU868 PoC channel override %p', (override, why) => {
    expect(problemsWith('pocChannel', override)[0]).toMatch(why);
  });

  test('refuses a US915 override whose beacon breaks the 400 ms dwell time', () => {
    const problems = problemsOf({ ...minimal, region: 'US915', pocChannel: { bandwidthHz: 125_000 } });
    expect(problems[0]).toMatch(/^pocChannel: a beacon takes \d+ ms, over US915's dwell time of 400 ms/);
  });

  test('refuses a power that is legal on the default channel but not on the overriding one', () => {
    const problems = problemsOf({ ...minimal, pocChannel: { frequencyHz: 868_100_000 }, txPowerDbm: 20 });
    expect(problems[0]).toMatch(/^txPowerDbm: .*to 14 dBm/);
  });
});

describe('describeSettings', () => {
  test('names the Wi-Fi network but never its password', () => {
    const settings = parseSettings(withField('wifi', { ssid: 'home', password: 'hunter22' }));
    const fields = describeSettings(settings);
    expect(fields.wifi).toBe('home');
    expect(JSON.stringify(fields)).not.toContain('hunter22');
  });
});

describe('settings in the KeyValue store', () => {
  const full: Settings = parseSettings({
    ...minimal,
    pocChannel: { frequencyHz: 869_500_000 },
    beaconIntervalMs: 3_600_000,
    wifi: { ssid: 'home', password: 'hunter22' },
    antennaGainDbi: 3,
    location: { lat: 48.8584, lon: 2.2945 },
    queue: { maxRecords: 2000 },
    verifyBeacons: false,
    logLevel: 'debug',
    statusIntervalMs: 60_000,
    txPowerDbm: 20,
  });

  test('round-trips every field through save and load', () => {
    const kv = new MemoryKeyValue();
    saveSettings(kv, full);
    expect(kv.writes).toEqual([SETTINGS_KEY]);
    expect(loadSettings(kv)).toEqual(full);
  });

  test('round-trips the defaults through JSON', () => {
    const settings = parseSettings(minimal);
    expect(settingsFromJson(settingsToJson(settings))).toEqual(settings);
  });

  test('stores the oracle key as hex text', () => {
    expect(JSON.parse(settingsToJson(full)).oraclePublicKey).toBe(toHex(oracleKey));
  });

  test('loads nothing from a store that was never provisioned', () => {
    expect(loadSettings(new MemoryKeyValue())).toBeUndefined();
  });

  test('loads settings stored as UTF-8 bytes', () => {
    const kv = new MemoryKeyValue();
    const withAccent = parseSettings({ ...minimal, wifi: { ssid: 'Café ☕', password: '' } });
    kv.set(SETTINGS_KEY, new TextEncoder().encode(settingsToJson(withAccent)));
    expect(loadSettings(kv)?.wifi?.ssid).toBe('Café ☕');
  });

  test('refuses a stored value that is not JSON', () => {
    const kv = new MemoryKeyValue();
    kv.set(SETTINGS_KEY, '{"region": "EU868",');
    expect(() => loadSettings(kv)).toThrow(/settings: the stored value is not JSON/);
  });

  test('refuses stored settings that no longer validate', () => {
    const kv = new MemoryKeyValue();
    kv.set(SETTINGS_KEY, JSON.stringify({ ...minimal, beaconIntervalMs: 5 }));
    expect(() => loadSettings(kv)).toThrow(SettingsError);
  });

  test('the largest valid settings fit in one stored value under a legal key', () => {
    const largest = parseSettings({
      ...full,
      oraclePublicKey: toHex(oracleKey),
      oracleUrl: `https://${'o'.repeat(180)}.example`,
      wifi: { ssid: '☕'.repeat(10), password: 'f'.repeat(64) },
      location: { lat: -89.123456789012, lon: -179.1234567890123 },
      pocChannel: {
        frequencyHz: 869_525_000, spreadingFactor: 12, bandwidthHz: 125_000, codingRate: 8, preambleLength: 9_000, syncWord: 255,
      },
    });
    const bytes = new TextEncoder().encode(settingsToJson(largest)).length;
    expect(bytes).toBeLessThan(KEY_VALUE_LIMITS.valueBytes / 4);
    expect(SETTINGS_KEY.length).toBeLessThanOrEqual(KEY_VALUE_LIMITS.keyLength);
    const kv = new MemoryKeyValue();
    saveSettings(kv, largest);
    expect(loadSettings(kv)).toEqual(largest);
  });
});

describe('docs/settings.sample.jsonc', () => {
  const text = readFileSync(new URL('../../docs/settings.sample.jsonc', import.meta.url), 'utf8');
  // Whole-line comments only: URLs inside values contain "//".
  const json = text.split('\n').filter((line) => !/^\s*\/\//.test(line)).join('\n');

  test('is valid settings once its comments are removed', () => {
    const settings = parseSettings(JSON.parse(json));
    expect(settings.region).toBe('EU868');
  });

  test('states the defaults the code has', () => {
    const sample = JSON.parse(json);
    for (const [field, value] of Object.entries(SETTINGS_DEFAULTS)) {
      if (field !== 'queue') expect([field, sample[field]]).toEqual([field, value]);
    }
  });

  test('mentions every setting', () => {
    for (const field of SETTINGS_FIELDS) expect(text).toContain(`"${field}"`);
  });
});
