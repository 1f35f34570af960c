/**
 * Provisioning over the serial console against a fake device on @serialport/binding-mock
 * (provision-device.ts) that speaks the firmware's protocol and checks what it is sent as the firmware
 * does: delivery of settings, key, certificate and self-test mode with every chunk acknowledged, and
 * the failures: a board mismatch, a key the device already has, an error answer, a silent device,
 * firmware without provisioning. The console client on its own: log lines skipped, lines cut anywhere.
 */
import { encodeDeviceCertificate, signDeviceCertificate, toHex } from '../../proofs/index.js';
import { settingsFromJson } from '../../src/settings-store.js';
import { answerIn, ConsoleClient } from '../../tools/provision/console-client.js';
import { answerFields, parseIdLine, provisionOverConsole, type ConsoleProvisionOptions } from '../../tools/provision/console-provision.js';
import { buildSettings } from '../../tools/provision/settings.js';
import { seedFor, signerFor } from '../support/keys.js';
import { FakeDevice, MockBinding } from './provision-device.js';

const PORT = '/dev/ttyCOVEY0';
const oracle = signerFor('provision oracle');
const deviceKey = signerFor('provision device').publicKey;
const { json: settingsJson } = buildSettings({
  board: 'heltec_v3', region: 'EU868', oracleUrl: 'http://127.0.0.1:8080', oraclePublicKey: oracle.publicKey,
  wifi: { ssid: 'home', password: 'correct horse battery' }, location: { lat: 52.37, lon: 4.89 },
});

afterEach(() => {
  MockBinding.reset();
});

const deliver = (device: FakeDevice, options: Partial<ConsoleProvisionOptions> = {}) =>
  provisionOverConsole({ path: PORT, binding: device.binding, board: 'heltec_v3', settingsJson, timeoutMs: 2000, ...options });

describe('provisionOverConsole', () => {
  test('delivers the settings to an unprovisioned device in acknowledged chunks; it starts without a restart', async () => {
    const device = new FakeDevice({ path: PORT, publicKey: deviceKey });
    const logged: string[] = [];
    const result = await deliver(device, { onLogLine: (line) => logged.push(line) });
    expect(device.stored.get('settings')).toBe(settingsJson);
    expect(settingsFromJson(device.stored.get('settings') as string).wifi?.ssid).toBe('home');
    expect(result.device.address).toMatch(/^cv/);
    expect(result.device.publicKey).toEqual(deviceKey);
    expect(result.delivered).toEqual([{ name: 'settings', bytes: settingsJson.length, restartRequired: false }]);
    expect(result.restartRequired).toBe(false);
    const data = device.received.filter((line) => line.startsWith('covey put settings data '));
    expect(data).toHaveLength(Math.ceil(settingsJson.length / 72));
    expect(device.received.every((line) => Buffer.byteLength(`${line}\n`) <= 128)).toBe(true);
    expect(device.received[0]).toBe('covey id');
    expect(device.received[1]).toMatch(/^covey put settings begin \d+ [0-9a-f]{8}$/);
    expect(logged.some((line) => line.startsWith('info status'))).toBe(true);
  });

  test('a running device gets a new key only with replace, and needs a restart', async () => {
    const device = new FakeDevice({ path: PORT, publicKey: deviceKey, state: 'running' });
    const seed = seedFor('vendor injected');
    const seedPublicKey = signerFor('vendor injected').publicKey;
    const result = await deliver(device, { seed, seedPublicKey, replaceKey: true });
    expect(device.received).toContain(`covey put seed begin 32 ${(await import('node:zlib')).crc32(seed).toString(16).padStart(8, '0')} replace`);
    expect(device.stored.get('seed')).toEqual(seed);
    expect(result.restartRequired).toBe(true);
    expect(result.delivered.map((d) => d.name)).toEqual(['seed', 'settings']);
  });

  test('a device without a key gets the seed without replace', async () => {
    const device = new FakeDevice({ path: PORT });
    const seed = seedFor('vendor injected');
    const result = await deliver(device, { seed, seedPublicKey: signerFor('vendor injected').publicKey });
    expect(device.received.some((line) => /^covey put seed begin 32 [0-9a-f]{8}$/.test(line))).toBe(true);
    expect(result.device.publicKey).toBeUndefined();
    expect(device.stored.get('seed')).toEqual(seed);
  });

  test('a key the device already has is not sent again', async () => {
    const device = new FakeDevice({ path: PORT, publicKey: signerFor('vendor injected').publicKey });
    const result = await deliver(device, { seed: seedFor('vendor injected'), seedPublicKey: signerFor('vendor injected').publicKey });
    expect(result.keyAlreadyPresent).toBe(true);
    expect(device.received.some((line) => line.startsWith('covey put seed'))).toBe(false);
  });

  test('refuses to replace a key without replaceKey, before writing anything', async () => {
    const device = new FakeDevice({ path: PORT, publicKey: deviceKey, state: 'running' });
    await expect(deliver(device, { seed: seedFor('vendor injected'), seedPublicKey: signerFor('vendor injected').publicKey }))
      .rejects.toThrow(/already has key cv\w+; --key would replace it .*--replace-key/);
    expect(device.received).toEqual(['covey id']);
    expect(device.stored.size).toBe(0);
  });

  test('refuses a device of another board, before writing anything', async () => {
    const device = new FakeDevice({ path: PORT, publicKey: deviceKey, board: 'tbeam_v1' });
    await expect(deliver(device)).rejects.toThrow(`the device on ${PORT} is a tbeam_v1, not a heltec_v3: nothing was written`);
    expect(device.received).toEqual(['covey id']);
  });

  test("stores the vendor certificate and sets the self-test mode", async () => {
    const device = new FakeDevice({ path: PORT, publicKey: deviceKey });
    const vendor = signerFor('provision vendor');
    const certificate = encodeDeviceCertificate(signDeviceCertificate({
      vendor: vendor.publicKey, device: deviceKey, model: 'CV-1', serial: 'SN0001', issuedMs: Date.UTC(2026, 0, 1),
    }, vendor));
    const result = await deliver(device, { attest: certificate, attestDeviceKey: deviceKey, selftest: true });
    expect(device.stored.get('attest')).toEqual(certificate);
    expect(device.stored.get('mode')).toBe('selftest');
    expect(device.received.at(-1)).toBe('covey mode selftest');
    expect(result.delivered.map((d) => d.name)).toEqual(['attest', 'settings', 'mode']);
    expect(result.restartRequired).toBe(true);
  });

  test('refuses a certificate for another device, before writing anything', async () => {
    const device = new FakeDevice({ path: PORT, publicKey: deviceKey });
    const other = signerFor('another device').publicKey;
    await expect(deliver(device, { attest: new Uint8Array(10), attestDeviceKey: other })).rejects.toThrow(/the certificate is for device cv\w+, not for cv\w+/);
    expect(device.received).toEqual(['covey id']);
  });

  test('refuses a key to replace together with a certificate, before writing anything', async () => {
    const device = new FakeDevice({ path: PORT, publicKey: deviceKey, state: 'running' });
    const seedPublicKey = signerFor('vendor injected').publicKey;
    await expect(deliver(device, {
      seed: seedFor('vendor injected'), seedPublicKey, replaceKey: true, attest: new Uint8Array(10), attestDeviceKey: seedPublicKey,
    })).rejects.toThrow(/a key replaced over the console takes effect at the next restart.*nothing was written/);
    expect(device.received).toEqual(['covey id']);
  });

  test("reports the device's error answer with its reason", async () => {
    const device = new FakeDevice({ path: PORT, publicKey: deviceKey, refuse: { name: 'settings', reason: 'flash write failed: "nvs" full' } });
    await expect(deliver(device)).rejects.toThrow('the device refused settings: flash write failed: "nvs" full');
  });

  test('gives up on a device that stops answering, naming what it waited for', async () => {
    const device = new FakeDevice({ path: PORT, publicKey: deviceKey, goSilentAt: 'covey put settings data' });
    await expect(deliver(device, { timeoutMs: 200 })).rejects.toThrow(
      /^settings: no "covey-put" or "covey-error" answer from \/dev\/ttyCOVEY0 within 0.2 s \(is the covey firmware running/,
    );
  });

  test('gives up on a silent port at covey id', async () => {
    const device = new FakeDevice({ path: PORT, goSilentAt: 'covey id' });
    await expect(deliver(device, { timeoutMs: 150 })).rejects.toThrow(/^covey id: no "covey-id" or "covey-error" answer/);
  });

  test('says so when the firmware has no provisioning console', async () => {
    const device = new FakeDevice({ path: PORT, noProvisioning: true });
    await expect(deliver(device)).rejects.toThrow(/does not know "covey id"; flash a covey firmware with provisioning/);
  });

  test('a port that does not exist fails to open with a hint', async () => {
    await expect(provisionOverConsole({ path: '/dev/ttyNONE', binding: MockBinding, board: 'heltec_v3', settingsJson }))
      .rejects.toThrow(/opening the port on \/dev\/ttyNONE: cannot open \/dev\/ttyNONE: .*/);
  });
});

describe('answer lines', () => {
  test('fields, quoted reasons with escaped quotes', () => {
    expect(answerFields('covey-put error name=seed reason="the \\"seed\\" is 31 bytes" extra=1'))
      .toEqual({ name: 'seed', reason: 'the "seed" is 31 bytes', extra: '1' });
  });

  test('a covey-id line with and without a key', () => {
    const key = toHex(deviceKey);
    const id = parseIdLine(`covey-id key=${key} address=cvx short=abcd-efgh board=t3s3 state=running attested=yes`);
    expect(id).toMatchObject({ publicKey: deviceKey, shortName: 'abcd-efgh', board: 't3s3', state: 'running', attested: true });
    expect(parseIdLine('covey-id key=none address=none short=none board=t3s3 state=unprovisioned attested=no').publicKey).toBeUndefined();
    expect(() => parseIdLine('covey-id key=12 board=t3s3 state=running')).toThrow(/malformed key/);
  });
});

describe('ConsoleClient', () => {
  async function openWith(): Promise<{ client: ConsoleClient; emit: (data: string | Buffer) => void; skipped: string[] }> {
    MockBinding.createPort(PORT, { echo: false, record: true });
    let port: Awaited<ReturnType<typeof MockBinding.open>> | undefined;
    const skipped: string[] = [];
    const client = await ConsoleClient.open({
      path: PORT,
      binding: { open: async (options) => (port = await MockBinding.open(options)) },
      onLine: (line) => skipped.push(line),
    });
    return { client, emit: (data) => port?.emitData(typeof data === 'string' ? Buffer.from(data, 'utf8') : data), skipped };
  }

  test('skips log lines, joins a line cut across reads, and takes \\r\\n endings', async () => {
    const { client, emit, skipped } = await openWith();
    const answer = client.request('covey id', 'covey-id ', 1000);
    emit('warn wifi lost reason=201\r\ncovey-i');
    await new Promise((resolve) => setTimeout(resolve, 5));
    emit('d key=none board=t3s3 state=unprovisioned attested=no ✓\r\n');
    expect(await answer).toBe('covey-id key=none board=t3s3 state=unprovisioned attested=no ✓');
    expect(skipped).toEqual(['warn wifi lost reason=201']);
    await client.close();
  });

  test('finds an answer behind boot garbage on the same line, but not one quoted in a log line', async () => {
    const { client, emit, skipped } = await openWith();
    const answer = client.waitFor(['covey-selftest ', 'covey-selftest-end '], 1000);
    emit('info console says covey-selftest radio PASS is what a good radio prints\n');
    emit(Buffer.concat([Buffer.from([0xff, 0xfe, 0x7a, 0x7a, 0x00, 0x80]), Buffer.from('hhhh////covey-selftest radio FAIL chip=sx126x\n')]));
    expect(await answer).toBe('covey-selftest radio FAIL chip=sx126x');
    expect(skipped).toEqual(['info console says covey-selftest radio PASS is what a good radio prints']);
    expect(answerIn('covey-id key=none', ['covey-id '])).toBe('covey-id key=none');
    expect(answerIn('\u0000\ufffdcovey-id key=none', ['covey-id '])).toBe('covey-id key=none');
    expect(answerIn('warn covey-id key=none', ['covey-id '])).toBeUndefined();
    await client.close();
  });

  test('a character split between two reads is decoded whole', async () => {
    const { client, emit } = await openWith();
    const answer = client.waitFor('covey-id ', 1000);
    const bytes = Buffer.from('covey-id name=Zürich\n', 'utf8');
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of "ü"
    emit(bytes.subarray(0, cut));
    await new Promise((resolve) => setTimeout(resolve, 5));
    emit(bytes.subarray(cut));
    expect(await answer).toBe('covey-id name=Zürich');
    await client.close();
  });

  test('refuses a line longer than the device reads, and a wait after close fails', async () => {
    const { client } = await openWith();
    await expect(client.sendLine('x'.repeat(128))).rejects.toMatchObject({ code: 'LineTooLong' });
    await client.close();
    await client.close();
    await expect(client.waitFor('covey-id ', 100)).rejects.toMatchObject({ code: 'Closed' });
  });
});
