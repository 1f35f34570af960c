/**
 * Provisioning over the serial console (hal/moddable/provisioning.ts, boot.ts): a device booted on the
 * Moddable fakes with its console on a fake ESP32 UART, and a host typing the protocol of docs/firmware.md
 * ("Provisioning over the serial console") the way `covey provision` does.
 */
import { encodeDeviceCertificate, hotspotAddress, signDeviceCertificate, toHex } from '../../proofs/index.js';
import { createPortableSigner } from '../../proofs/ed25519-portable.js';
import { FakePreference } from '../../tools/xs/moddable-fakes/fake-storage.js';
import { signerFor } from '../support/keys.js';
import { answer, bootRig, command, crcOf, deviceRig, put, settle, SETTINGS, utf8 } from './device-rig.js';

const SETTINGS_JSON = utf8(JSON.stringify(SETTINGS));

/** An unprovisioned device, booted, with its console. */
function fresh(options: Parameters<typeof deviceRig>[0] = {}) {
  const rig = deviceRig(options);
  const booted = bootRig(rig);
  rig.world.advance(100); // the boot's log lines drain out of the UART
  return { ...rig, ...booted };
}

const storedSettings = (preference: FakePreference) => preference.get('covey', 'settings');

describe('first boot: the identity before the settings', () => {
  test('an unprovisioned device makes its key and logs its public forms only, once, on the console', () => {
    const d = fresh();
    expect(d.outcome.state).toBe('unprovisioned');
    const identity = d.outcome.identity;
    expect(identity).toBeDefined();
    const lines = d.uart.lines.filter((line) => line.startsWith('info identity '));
    expect(lines).toEqual([`info identity address=${identity?.address} short=${identity?.shortName} created=yes`]);
    const seed = d.preference.get('covey', 'seed') as ArrayBuffer;
    expect(seed.byteLength).toBe(32);
    const everything = d.uart.text + d.traced.join('');
    expect(everything).not.toContain(toHex(new Uint8Array(seed)));
  });

  test('the next boot loads the same key: created=no, and no random draw needed', () => {
    const first = fresh();
    const second = fresh({ preference: first.preference, randomSeed: 99 });
    expect(second.outcome.identity?.address).toBe(first.outcome.identity?.address);
    expect(second.uart.lines.filter((line) => line.startsWith('info identity '))[0]).toMatch(/ created=no$/);
  });

  test('`covey id` names the key, the board and the state', () => {
    const d = fresh();
    const key = toHex(d.outcome.identity?.publicKey as Uint8Array);
    expect(answer(d.world, d.uart, 'covey id')).toBe(
      `covey-id key=${key} address=${hotspotAddress(d.outcome.identity?.publicKey as Uint8Array)} short=${d.outcome.identity?.shortName} ` +
        'board=heltec_v2 state=unprovisioned attested=no',
    );
  });

  test('a stored key that is not a seed: failed, no key, and the console still answers', () => {
    const preference = new FakePreference();
    preference.set('covey', 'seed', 'not a seed');
    const d = fresh({ preference });
    expect(d.outcome.state).toBe('failed');
    expect(d.outcome.state !== 'running' && d.outcome.reason).toMatch(/^no device key: .*not a 32-byte seed/);
    expect(answer(d.world, d.uart, 'covey id')).toBe('covey-id key=none address=none short=none board=heltec_v2 state=failed attested=no');
  });
});

describe('settings', () => {
  test('an unprovisioned device given valid settings starts the hotspot at once, with the key it made at boot', () => {
    const d = fresh();
    const identity = d.outcome.identity;
    expect(SETTINGS_JSON.length).toBeGreaterThan(144);
    expect(SETTINGS_JSON.length).toBeLessThanOrEqual(216);
    expect(put(d.world, d.uart, 'settings', SETTINGS_JSON)).toEqual([
      'covey-put ready name=settings', 'covey-put ok name=settings have=72', 'covey-put ok name=settings have=144',
      `covey-put ok name=settings have=${SETTINGS_JSON.length}`, `covey-put done name=settings bytes=${SETTINGS_JSON.length} restart=no`,
    ]);
    d.world.advance(100);
    expect(d.outcome.state).toBe('running');
    if (d.outcome.state !== 'running') return;
    expect(d.outcome.hotspot.identity).toBe(identity);
    expect(d.uart.lines.filter((line) => line.startsWith('info hotspot started '))).toHaveLength(1);
    expect(d.uart.lines.filter((line) => line.startsWith('info identity '))).toHaveLength(1);
    expect(d.uart.lines.filter((line) => line.startsWith('warn not provisioned'))).toHaveLength(1);
    d.world.advance(60_000);
    expect(d.uart.lines.filter((line) => line.startsWith('info status '))).toHaveLength(1);
    expect(d.uart.lines.filter((line) => line.startsWith('warn not provisioned'))).toHaveLength(1);
    expect(answer(d.world, d.uart, 'covey id')).toMatch(/ state=running attested=no$/);
    expect(JSON.parse(storedSettings(d.preference) as string)).toMatchObject({ region: 'EU868', oraclePublicKey: '11'.repeat(32) });
  });

  test('a device idle on stored settings that do not validate starts at once on valid ones', () => {
    const d = fresh({ settings: { ...SETTINGS, region: 'XX999' } });
    expect(d.outcome.state).toBe('failed');
    expect(put(d.world, d.uart, 'settings', SETTINGS_JSON).pop()).toBe(`covey-put done name=settings bytes=${SETTINGS_JSON.length} restart=no`);
    d.world.advance(100);
    expect(d.outcome.state).toBe('running');
  });

  test('a running device stores new settings for its next start and keeps running on the old ones', () => {
    const d = fresh({ settings: SETTINGS });
    expect(d.outcome.state).toBe('running');
    const next = utf8(JSON.stringify({ ...SETTINGS, region: 'US915' }));
    expect(put(d.world, d.uart, 'settings', next).pop()).toBe(`covey-put done name=settings bytes=${next.length} restart=required`);
    expect(d.outcome.state === 'running' && d.outcome.hotspot.status().region).toBe('EU868');
    expect(JSON.parse(storedSettings(d.preference) as string).region).toBe('US915');
  });

  test('settings that parseSettings refuses: the problems named, nothing stored, still waiting', () => {
    const d = fresh();
    const bad = utf8(JSON.stringify({ ...SETTINGS, region: 'XX999', beaconIntervalMs: 7 }));
    const last = put(d.world, d.uart, 'settings', bad).pop();
    expect(last).toMatch(/^covey-put error name=settings reason="invalid settings: region: 'XX999' is not one of .*beaconIntervalMs: 7 is not from/);
    expect(storedSettings(d.preference)).toBeUndefined();
    d.world.advance(1000);
    expect(d.outcome.state).toBe('unprovisioned');
  });

  test('text that is not JSON is refused the same way', () => {
    const d = fresh();
    expect(put(d.world, d.uart, 'settings', utf8('{"region": "EU868",')).pop()).toBe(
      'covey-put error name=settings reason="invalid settings: settings: the stored value is not JSON"',
    );
    expect(storedSettings(d.preference)).toBeUndefined();
  });
});

describe('transfer errors end the transfer and store nothing', () => {
  test('a CRC that does not match', () => {
    const d = fresh();
    const lines = put(d.world, d.uart, 'settings', SETTINGS_JSON, { crc: 'deadbeef' });
    expect(lines.pop()).toBe(`covey-put error name=settings reason="CRC-32 ${crcOf(SETTINGS_JSON)} does not match the deadbeef announced"`);
    expect(storedSettings(d.preference)).toBeUndefined();
    expect(answer(d.world, d.uart, 'covey put settings end')).toMatch(/^covey-put error name=settings reason="no settings transfer begun/);
  });

  test('fewer bytes than announced', () => {
    const d = fresh();
    const lines = put(d.world, d.uart, 'settings', SETTINGS_JSON, { announce: SETTINGS_JSON.length + 1 });
    expect(lines.pop()).toBe(`covey-put error name=settings reason="got ${SETTINGS_JSON.length} of the ${SETTINGS_JSON.length + 1} bytes announced"`);
  });

  test('more bytes than announced: refused at the data line that overflows', () => {
    const d = fresh();
    const lines = put(d.world, d.uart, 'settings', SETTINGS_JSON, { announce: 80 });
    expect(lines).toEqual([
      'covey-put ready name=settings', 'covey-put ok name=settings have=72', 'covey-put error name=settings reason="more data than the 80 bytes announced"',
    ]);
  });

  test('data that is not base64', () => {
    const d = fresh();
    answer(d.world, d.uart, `covey put settings begin 3 ${crcOf(utf8('abc'))}`);
    expect(answer(d.world, d.uart, 'covey put settings data YW*j')).toBe('covey-put error name=settings reason="not base64: character \'*\' at 2"');
    expect(answer(d.world, d.uart, 'covey put settings data YWJj')).toMatch(/reason="no settings transfer begun/);
  });

  test('a data line over 96 base64 characters', () => {
    const d = fresh();
    answer(d.world, d.uart, `covey put settings begin 100 ${crcOf(new Uint8Array(100))}`);
    expect(answer(d.world, d.uart, `covey put settings data ${'A'.repeat(100)}`)).toBe(
      'covey-put error name=settings reason="a data line holds at most 96 base64 characters, got 100"',
    );
  });

  test('data or end without a begin, or for another name than the one begun', () => {
    const d = fresh();
    expect(answer(d.world, d.uart, 'covey put seed data AAAA')).toBe(
      'covey-put error name=seed reason="no seed transfer begun: send covey put seed begin <bytes> <crc32> first"',
    );
    answer(d.world, d.uart, `covey put settings begin 3 ${crcOf(utf8('abc'))}`);
    expect(answer(d.world, d.uart, 'covey put attest end')).toMatch(/^covey-put error name=attest reason="no attest transfer begun/);
  });

  test('a begin line out of shape, or a name that is not settings, seed or attest', () => {
    const d = fresh();
    expect(answer(d.world, d.uart, 'covey put settings begin 12345 00000000')).toMatch(/^covey-put error name=settings reason="usage: covey put settings begin/);
    expect(answer(d.world, d.uart, 'covey put settings begin 4000 00000000')).toBe('covey-put error name=settings reason="settings are at most 3999 bytes of JSON"');
    expect(answer(d.world, d.uart, 'covey put attest begin 4001 00000000')).toBe('covey-put error name=attest reason="4001 bytes: a value is 1 to 4000 bytes"');
    expect(answer(d.world, d.uart, 'covey put settings begin 12 xyz')).toMatch(/reason="usage: /);
    expect(answer(d.world, d.uart, 'covey put wifi begin 3 00000000')).toBe('covey-put error name=wifi reason="what to put: settings, seed, attest"');
  });
});

describe('seed', () => {
  const seed = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 ^ i);

  test('refused without "replace" when the device has a key: nothing changes', () => {
    const d = fresh();
    const before = toHex(new Uint8Array(d.preference.get('covey', 'seed') as ArrayBuffer));
    expect(put(d.world, d.uart, 'seed', seed)).toEqual([
      'covey-put error name=seed reason="this device has a key already; end the begin line with replace to overwrite it (a new key is a new hotspot)"',
    ]);
    expect(toHex(new Uint8Array(d.preference.get('covey', 'seed') as ArrayBuffer))).toBe(before);
  });

  test('with "replace": stored, restart required, and the next boot is that key', () => {
    const d = fresh();
    expect(put(d.world, d.uart, 'seed', seed, { replace: true }).pop()).toBe('covey-put done name=seed bytes=32 restart=required');
    expect(toHex(new Uint8Array(d.preference.get('covey', 'seed') as ArrayBuffer))).toBe(toHex(seed));
    const again = fresh({ preference: d.preference });
    expect(again.outcome.identity?.address).toBe(hotspotAddress(createPortableSigner(seed).publicKey));
  });

  test('after a new seed, settings wait for the restart, and a certificate must come after it', () => {
    const d = fresh();
    expect(d.outcome.state).toBe('unprovisioned');
    expect(put(d.world, d.uart, 'seed', seed, { replace: true }).pop()).toBe('covey-put done name=seed bytes=32 restart=required');
    // Not started on the old key: the settings are kept for the boot that takes the new one.
    expect(put(d.world, d.uart, 'settings', SETTINGS_JSON).pop()).toBe(`covey-put done name=settings bytes=${SETTINGS_JSON.length} restart=required`);
    expect(storedSettings(d.preference)).toBeDefined();
    expect(d.outcome.state).toBe('unprovisioned');
    const vendor = signerFor('vendor');
    const newKey = createPortableSigner(seed).publicKey;
    const certificate = encodeDeviceCertificate(signDeviceCertificate({
      vendor: vendor.publicKey, device: newKey, model: 'Heltec WiFi LoRa 32 V2', serial: 'HT2-000043', issuedMs: Date.UTC(2026, 0, 5),
    }, vendor));
    expect(put(d.world, d.uart, 'attest', certificate).pop()).toBe(
      'covey-put error name=attest reason="the key stored in this boot takes effect at the restart: put the certificate after it"',
    );
    const again = fresh({ preference: d.preference });
    expect(again.outcome.identity?.address).toBe(hotspotAddress(newKey));
    expect(again.outcome.state).toBe('running');
    expect(put(again.world, again.uart, 'attest', certificate).pop()).toBe(`covey-put done name=attest bytes=${certificate.length} restart=no`);
  });

  test('a seed is 32 bytes, and not one byte repeated', () => {
    const d = fresh();
    expect(put(d.world, d.uart, 'seed', seed.subarray(0, 31), { replace: true })).toEqual(['covey-put error name=seed reason="a seed is 32 bytes, not 31"']);
    expect(put(d.world, d.uart, 'seed', new Uint8Array(32), { replace: true }).pop()).toBe(
      'covey-put error name=seed reason="the seed is one byte repeated: not a key"',
    );
  });
});

describe('attest', () => {
  const vendor = signerFor('vendor');
  const certificateFor = (device: Uint8Array) => encodeDeviceCertificate(signDeviceCertificate({
    vendor: vendor.publicKey, device, model: 'Heltec WiFi LoRa 32 V2', serial: 'HT2-000042', issuedMs: Date.UTC(2026, 0, 5),
  }, vendor));

  test('a certificate for this device is stored and `covey id` says attested=yes', () => {
    const d = fresh();
    const bytes = certificateFor(d.outcome.identity?.publicKey as Uint8Array);
    expect(put(d.world, d.uart, 'attest', bytes).pop()).toBe(`covey-put done name=attest bytes=${bytes.length} restart=no`);
    expect(toHex(new Uint8Array(d.preference.get('covey', 'attest') as ArrayBuffer))).toBe(toHex(bytes));
    expect(answer(d.world, d.uart, 'covey id')).toMatch(/ attested=yes$/);
  });

  test('a running device takes it without a restart: onboarding reads it when it runs', () => {
    const d = fresh({ settings: SETTINGS });
    const bytes = certificateFor(d.outcome.identity?.publicKey as Uint8Array);
    expect(put(d.world, d.uart, 'attest', bytes).pop()).toBe(`covey-put done name=attest bytes=${bytes.length} restart=no`);
    expect(answer(d.world, d.uart, 'covey id')).toMatch(/ state=running attested=yes$/);
  });

  test('a certificate for another key is refused, naming that key', () => {
    const d = fresh();
    const other = signerFor('someone else').publicKey;
    expect(put(d.world, d.uart, 'attest', certificateFor(other)).pop()).toBe(
      `covey-put error name=attest reason="the certificate names the key ${toHex(other)}, not this device's"`,
    );
    expect(d.preference.get('covey', 'attest')).toBeUndefined();
  });

  test('bytes that are not a certificate are refused', () => {
    const d = fresh();
    const key = d.outcome.identity?.publicKey as Uint8Array;
    expect(put(d.world, d.uart, 'attest', Uint8Array.from([...key, 1, 2, 3])).pop()).toMatch(/^covey-put error name=attest reason="not a device certificate: /);
  });
});

describe('the other commands', () => {
  test('an unknown `covey` command is named, cut to 40 characters; other lines get no answer', () => {
    const d = fresh();
    expect(answer(d.world, d.uart, 'covey frobnicate the "device" right now please')).toBe(
      'covey-error unknown command "covey frobnicate the \'device\' right now "',
    );
    expect(answer(d.world, d.uart, 'covey id please')).toBe('covey-error unknown command "covey id please"');
    // A control character in the line does not reach the answer.
    expect(answer(d.world, d.uart, 'covey \u0007ring')).toBe('covey-error unknown command "covey  ring"');
    expect(command(d.world, d.uart, 'hello there')).toEqual([]);
  });

  test('`covey walk-log`: an error when no hotspot runs, the walk log when one does', () => {
    const d = fresh();
    expect(answer(d.world, d.uart, 'covey walk-log')).toBe(
      'covey-error the hotspot is not running (state=unprovisioned): the walk log is read from a running hotspot',
    );
    put(d.world, d.uart, 'settings', SETTINGS_JSON);
    d.world.advance(100);
    expect(answer(d.world, d.uart, 'covey walk-log')).toBe('covey-walk-end 0');
  });

  test('`covey mode selftest` stores the one-shot boot mode', () => {
    const d = fresh({ settings: SETTINGS });
    expect(answer(d.world, d.uart, 'covey mode selftest')).toBe('covey-mode selftest restart=required');
    expect(d.preference.get('covey', 'mode')).toBe('selftest');
    expect(answer(d.world, d.uart, 'covey mode normal')).toBe('covey-error unknown command "covey mode normal"');
  });

  test('`covey selftest` while the hotspot runs: one SKIP line, nothing opened', () => {
    const d = fresh({ settings: SETTINGS });
    const spiBefore = d.spi.opened;
    expect(answer(d.world, d.uart, 'covey selftest')).toBe('covey-selftest-end SKIP reason="hotspot running: set mode=selftest and restart"');
    expect(d.spi.opened).toBe(spiBefore);
  });
});

describe('the self-test', () => {
  const report = (lines: string[]) => lines.filter((line) => line.startsWith('covey-selftest'));

  test('boot mode: the flag is deleted, the report printed on the console, and the device stays idle in state selftest', async () => {
    const preference = new FakePreference();
    preference.set('covey', 'mode', 'selftest');
    const d = fresh({ preference, settings: SETTINGS });
    expect(d.outcome.state).toBe('selftest');
    expect(d.preference.get('covey', 'mode')).toBeUndefined();
    await settle(d.world, 10_000);
    const lines = report(d.uart.lines);
    expect(lines.map((line) => line.split(' ')[1])).toEqual(['radio', 'spi', 'flash', 'key', 'rng', 'gps', 'PASS']);
    expect(lines[6]).toBe(`covey-selftest-end PASS passed=5 failed=0 skipped=1 board=heltec_v2 key=${toHex(d.outcome.identity?.publicKey as Uint8Array)}`);
    expect(d.outcome.state).toBe('selftest');
    expect(d.uart.lines.filter((line) => line.startsWith('info hotspot started '))).toEqual([]);
    expect(answer(d.world, d.uart, 'covey id')).toMatch(/ state=selftest /);
    // Settings given now wait for the restart; the next boot runs the hotspot.
    expect(put(d.world, d.uart, 'settings', SETTINGS_JSON).pop()).toMatch(/ restart=required$/);
    expect(fresh({ preference: d.preference }).outcome.state).toBe('running');
  });

  test('`covey selftest` on an unprovisioned device: the report, then back to waiting for settings', async () => {
    const d = fresh();
    d.uart.type('covey selftest\n');
    d.world.advance(5);
    expect(d.outcome.state).toBe('selftest');
    expect(command(d.world, d.uart, 'covey selftest').filter((line) => !line.startsWith('covey-selftest '))).toEqual(['covey-error a self-test is running']);
    await settle(d.world, 10_000);
    expect(report(d.uart.lines).pop()).toMatch(/^covey-selftest-end PASS passed=5 failed=0 skipped=1 board=heltec_v2 key=[0-9a-f]{64}$/);
    expect(d.outcome.state).toBe('unprovisioned');
    expect(put(d.world, d.uart, 'settings', SETTINGS_JSON).pop()).toMatch(/ restart=no$/);
    d.world.advance(100);
    expect(d.outcome.state).toBe('running');
  });
});
