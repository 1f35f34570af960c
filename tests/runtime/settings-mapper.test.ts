/** The role and mapper settings: defaults, validation, storage, and the PoC channel checked for the frame the role sends. */
import { toHex } from '../../proofs/bytes.js';
import { pocChannelOf } from '../../src/poc-channel.js';
import { describeSettings, parseSettings, SettingsError, SETTINGS_DEFAULTS } from '../../src/settings.js';
import { loadSettings, saveSettings } from '../../src/settings-store.js';
import { signerFor } from '../support/keys.js';
import { MemoryKeyValue } from '../support/memory-kv.js';

const minimal = { region: 'EU868', oracleUrl: 'http://oracle.example:8080', oraclePublicKey: toHex(signerFor('oracle').publicKey) };

function problemsOf(input: unknown): readonly string[] {
  try {
    parseSettings(input);
    return [];
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return error.problems;
  }
}

describe('role', () => {
  test('is a hotspot by default, with the mapper rules of 70 m and 5 minutes filled in', () => {
    const settings = parseSettings(minimal);
    expect(settings.role).toBe('hotspot');
    expect(settings.mapper).toEqual({ minDistanceM: 70, maxIntervalMs: 300_000 });
    expect(SETTINGS_DEFAULTS.mapper).toEqual({ minDistanceM: 70, maxIntervalMs: 300_000 });
  });

  test('reads mapper', () => {
    expect(parseSettings({ ...minimal, role: 'mapper' }).role).toBe('mapper');
  });

  test.each([['Mapper'], ['walker'], [1], [null]])('refuses the role %p', (role) => {
    expect(problemsOf({ ...minimal, role })).toEqual([`role: ${role === null ? 'null' : typeof role === 'string' ? `"${role}"` : role} is not one of hotspot, mapper`]);
  });
});

describe('mapper', () => {
  test('fills in the rule left out', () => {
    expect(parseSettings({ ...minimal, mapper: { minDistanceM: 150 } }).mapper).toEqual({ minDistanceM: 150, maxIntervalMs: 300_000 });
    expect(parseSettings({ ...minimal, mapper: { maxIntervalMs: 60_000 } }).mapper).toEqual({ minDistanceM: 70, maxIntervalMs: 60_000 });
    expect(parseSettings({ ...minimal, mapper: {} }).mapper).toEqual({ minDistanceM: 70, maxIntervalMs: 300_000 });
  });

  test('takes a fractional distance and the ends of both ranges', () => {
    expect(parseSettings({ ...minimal, mapper: { minDistanceM: 12.5, maxIntervalMs: 10_000 } }).mapper).toEqual({ minDistanceM: 12.5, maxIntervalMs: 10_000 });
    expect(parseSettings({ ...minimal, mapper: { minDistanceM: 10_000, maxIntervalMs: 86_400_000 } }).mapper.maxIntervalMs).toBe(86_400_000);
  });

  test.each([
    [{ minDistanceM: 9.9 }, 'mapper.minDistanceM: 9.9 is not from 10 to 10000'],
    [{ minDistanceM: '70' }, 'mapper.minDistanceM: must be a number, got "70"'],
    [{ maxIntervalMs: 9_999 }, 'mapper.maxIntervalMs: 9999 is not from 10000 to 86400000'],
    [{ maxIntervalMs: 60_000.5 }, 'mapper.maxIntervalMs: must be a whole number, got 60000.5'],
    [{ everyMetres: 70 }, 'mapper: unknown field everyMetres'],
  ])('refuses %p', (mapper, problem) => {
    expect(problemsOf({ ...minimal, mapper })).toEqual([problem]);
  });

  test('refuses something that is not an object', () => {
    expect(problemsOf({ ...minimal, mapper: [70] })).toEqual(['mapper: must be an object, got an array']);
  });

  test('is stored with the role and read back the same', () => {
    const kv = new MemoryKeyValue();
    const settings = parseSettings({ ...minimal, role: 'mapper', mapper: { minDistanceM: 50, maxIntervalMs: 120_000 } });
    saveSettings(kv, settings);
    expect(JSON.parse(kv.get('settings') as string)).toMatchObject({ role: 'mapper', mapper: { minDistanceM: 50, maxIntervalMs: 120_000 } });
    expect(loadSettings(kv)).toEqual(settings);
  });

  test('is described for the log only in the mapper role', () => {
    expect(describeSettings(parseSettings(minimal))).toMatchObject({ role: 'hotspot' });
    expect(describeSettings(parseSettings(minimal)).minDistanceM).toBeUndefined();
    expect(describeSettings(parseSettings({ ...minimal, role: 'mapper' }))).toMatchObject({ role: 'mapper', minDistanceM: 70, maxIntervalMs: 300_000 });
  });
});

describe('the PoC channel for the role', () => {
  // US915 at SF8BW125, CR 4/6, 10 preamble symbols: a 109-byte beacon takes 389.6 ms, a 113-byte uplink 401.9 ms.
  const tight = { ...minimal, region: 'US915', pocChannel: { spreadingFactor: 8, bandwidthHz: 125_000, codingRate: 6, preambleLength: 10 } };

  test('states the airtime of an uplink beside that of a beacon', () => {
    const channel = pocChannelOf(parseSettings(minimal));
    expect(Math.round(channel.beaconAirtimeMs)).toBe(4268);
    expect(Math.round(channel.uplinkAirtimeMs)).toBe(4432);
  });

  test('lets a hotspot beacon on a channel where an uplink would be over the dwell time', () => {
    expect(problemsOf(tight)).toEqual([]);
  });

  test('refuses that channel to a mapper, naming the uplink and the dwell time', () => {
    expect(problemsOf({ ...tight, role: 'mapper' })).toEqual(["pocChannel: a mapper uplink takes 402 ms, over US915's dwell time of 400 ms"]);
  });

  test('does not check the channel when the role itself is wrong', () => {
    expect(problemsOf({ ...tight, role: 'drone' })).toEqual(['role: "drone" is not one of hotspot, mapper']);
  });
});
