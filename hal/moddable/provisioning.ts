/**
 * The provisioning commands of the serial console (console.ts), answered in every state of the device:
 * unprovisioned, failed, in its self-test, or running. docs/firmware.md, "Provisioning over the serial
 * console", is the exchange as hosts see it (tools/provision speaks it):
 *
 *   covey id                                    → covey-id key=… address=… short=… board=… state=… attested=…
 *   covey put <settings|seed|attest> begin <bytes> <crc32 hex>[ replace]
 *                                               → covey-put ready name=…
 *   covey put <name> data <base64, ≤ 96 chars>  → covey-put ok name=… have=<bytes so far>
 *   covey put <name> end                        → covey-put done name=… bytes=… restart=<no|required>
 *   (any put line that fails)                   → covey-put error name=… reason="…"
 *   covey selftest                              → the self-test's lines (or one SKIP line while the hotspot runs)
 *   covey mode selftest                         → covey-mode selftest restart=required
 *   covey walk-log                              → the running hotspot's walk log (src/walk-log.ts)
 *   any other `covey …` line                    → covey-error unknown command "…"
 *
 * A value is stored only whole and checked: settings that parseSettings accepts (through the settings
 * store), a 32-byte seed, an attestation that names this device's key. Any error ends the transfer and
 * frees its buffer (put-transfer.ts); the host begins again. Lines not starting with `covey` get no
 * answer. Device code: every answer is one line, except the walk log's, which the hotspot gives.
 */
import {
  ATTEST_KEY, decodeDeviceCertificate, decodeUtf8, saveSettings, SEED_BYTES, SEED_KEY, settingsFromJson, storedCertificate, toHex,
  type Hotspot, type Identity,
} from '../runtime.js';
import type { Board } from '../boards/types.js';
import type { KeyValue } from '../../src/ports.js';
import type { Settings } from '../../src/settings.js';
import type { ConsoleAnswer } from '../../src/walk-log.js';
import { PUT_MAX_BYTES, PUT_NAMES, PutError, PutTransfer, type PutName } from './put-transfer.js';

/** What the device is doing, as `covey id` reports it. */
export type DeviceState = 'unprovisioned' | 'failed' | 'running' | 'selftest';

/** The NVS key of the one-shot boot mode, and its value for the self-test. */
export const MODE_KEY = 'mode';
export const SELFTEST_MODE = 'selftest';

/** The longest stretch of an unknown command echoed back. */
const ECHO_CHARS = 40;
/** The longest reason given on an error line. */
const REASON_CHARS = 400;

/** The device as the commands see it, read at each command. */
export interface ProvisionedDevice {
  readonly state: DeviceState;
  /** Undefined only when the key could not be loaded or made at boot. */
  readonly identity: Identity | undefined;
  /** The running hotspot, if there is one. */
  readonly hotspot: Hotspot | undefined;
}

export interface ProvisioningOptions {
  readonly kv: KeyValue;
  readonly board: Board;
  readonly device: ProvisionedDevice;
  /**
   * Valid settings were stored. Returns true when the device will start the hotspot with them now (it was
   * not running), false when they take effect at the next restart.
   */
  readonly onSettings: (settings: Settings) => boolean;
  /**
   * `covey selftest`: starts the self-test, whose lines go out as log lines, and returns undefined; or
   * returns the one line saying why it cannot run now.
   */
  readonly selftest: () => string | undefined;
}

/** An answer of at most one line. */
class OneLine implements ConsoleAnswer {
  private line: string | undefined;

  constructor(line: string | undefined) {
    this.line = line;
  }

  next(): string | undefined {
    const line = this.line;
    this.line = undefined;
    return line;
  }
}

/** `text` as a quoted value on one line: no double quote, backslash or control character inside. */
export function quoted(text: string): string {
  const cut = text.length > REASON_CHARS ? `${text.slice(0, REASON_CHARS - 1)}…` : text;
  // Anything but printable ASCII and characters from U+00A0 on (so no control character) becomes a space.
  return `"${cut.replace(/"/g, "'").replace(/\\/g, '/').replace(/[^ -~\u00a0-\uffff]/g, ' ')}"`;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Why a vendor certificate (proofs/attestation.ts) cannot be this device's, or undefined when it decodes
 * and names `publicKey`. Its signature is the oracle's to check against the vendors it trusts.
 */
export function attestationProblem(bytes: Uint8Array, publicKey: Uint8Array): string | undefined {
  let device: Uint8Array;
  try {
    device = decodeDeviceCertificate(bytes).device;
  } catch (error) {
    return `not a device certificate: ${messageOf(error)}`;
  }
  return toHex(device) === toHex(publicKey) ? undefined : `the certificate names the key ${toHex(device)}, not this device's`;
}

export class Provisioning {
  private readonly options: ProvisioningOptions;
  /** The value being received, if any. */
  private transfer: PutTransfer | undefined;
  /**
   * A new seed was stored in this boot: the identity in use is still the old one until the restart, so
   * settings are kept for that restart (not started on the old key) and a certificate, which must name
   * the new key, waits for it too.
   */
  private keyReplaced: boolean;

  constructor(options: ProvisioningOptions) {
    this.options = options;
    this.transfer = undefined;
    this.keyReplaced = false;
  }

  /** True while a put is between its begin and its end. */
  get receiving(): boolean {
    return this.transfer !== undefined;
  }

  /** The console's opener: the answer to `line`, or undefined for a line that is not a `covey` command. */
  openAnswer(line: string): ConsoleAnswer | undefined {
    const words = line.trim().split(/\s+/);
    if (words[0] !== 'covey' || words.length < 2) return undefined;
    const { device } = this.options;
    // Words joined by one space: `covey  id` is `covey id`, and `covey id now` is no command.
    const command = words[1] === 'put' ? 'put' : words.slice(1).join(' ');
    if (command === 'put') return new OneLine(this.put(words));
    if (command === 'id') return new OneLine(this.idLine());
    if (command === 'selftest') return new OneLine(this.options.selftest());
    if (command === `mode ${SELFTEST_MODE}`) return new OneLine(this.setSelftestMode());
    const fromHotspot = device.hotspot?.openConsoleAnswer(line);
    if (fromHotspot !== undefined) return fromHotspot;
    if (command === 'walk-log') {
      return new OneLine(`covey-error the hotspot is not running (state=${device.state}): the walk log is read from a running hotspot`);
    }
    return new OneLine(`covey-error unknown command ${quoted(line.trim().slice(0, ECHO_CHARS))}`);
  }

  /** The `covey-id` line: public key only. */
  idLine(): string {
    const { device, board } = this.options;
    const identity = device.identity;
    const key = identity === undefined ? 'key=none address=none short=none' : `key=${toHex(identity.publicKey)} address=${identity.address} short=${identity.shortName}`;
    return `covey-id ${key} board=${board.id} state=${device.state} attested=${this.attested() ? 'yes' : 'no'}`;
  }

  /** A certificate is stored that onboarding would send: it decodes and names this device's key (src/onboarding.ts). */
  private attested(): boolean {
    const identity = this.options.device.identity;
    if (identity === undefined) return false;
    try {
      return storedCertificate(this.options.kv, identity.publicKey).certificate !== undefined;
    } catch {
      return false;
    }
  }

  private setSelftestMode(): string {
    try {
      this.options.kv.set(MODE_KEY, SELFTEST_MODE);
    } catch (error) {
      return `covey-error mode not stored: ${quoted(messageOf(error))}`;
    }
    return `covey-mode ${SELFTEST_MODE} restart=required`;
  }

  /** One `covey put …` line; any error ends the transfer in progress. */
  private put(words: readonly string[]): string {
    const name = words[2] ?? '';
    try {
      if (!(PUT_NAMES as readonly string[]).includes(name)) throw new PutError(`what to put: ${PUT_NAMES.join(', ')}`);
      const verb = words[3];
      if (verb === 'begin') return this.begin(name as PutName, words);
      if (verb === 'data' && words.length === 5) return this.data(name as PutName, words[4]);
      if (verb === 'end' && words.length === 4) return this.end(name as PutName);
      throw new PutError(`usage: covey put ${name} begin <bytes> <crc32> | data <base64> | end`);
    } catch (error) {
      this.transfer = undefined;
      const shown = /^[a-z]{1,16}$/.test(name) ? name : 'none';
      return `covey-put error name=${shown} reason=${quoted(messageOf(error))}`;
    }
  }

  private begin(name: PutName, words: readonly string[]): string {
    this.transfer = undefined;
    const [count, crc, flag] = [words[4], words[5], words[6]];
    const replace = flag === 'replace';
    if (words.length > 7 || (flag !== undefined && !replace) || !/^\d{1,4}$/.test(count ?? '') || !/^[0-9a-fA-F]{8}$/.test(crc ?? '')) {
      throw new PutError(`usage: covey put ${name} begin <bytes, 1-${PUT_MAX_BYTES}> <crc32, 8 hex digits>${name === 'seed' ? ' [replace]' : ''}`);
    }
    const bytes = Number(count);
    if (name === 'seed' && bytes !== SEED_BYTES) throw new PutError(`a seed is ${SEED_BYTES} bytes, not ${bytes}`);
    if (name === 'settings' && bytes > PUT_MAX_BYTES - 1) throw new PutError(`settings are at most ${PUT_MAX_BYTES - 1} bytes of JSON`);
    if (name === 'seed' && !replace && this.options.kv.get(SEED_KEY) !== undefined) {
      throw new PutError('this device has a key already; end the begin line with replace to overwrite it (a new key is a new hotspot)');
    }
    this.transfer = new PutTransfer(name, bytes, parseInt(crc as string, 16));
    return `covey-put ready name=${name}`;
  }

  private data(name: PutName, base64: string): string {
    const transfer = this.current(name);
    transfer.append(base64);
    return `covey-put ok name=${name} have=${transfer.have}`;
  }

  private end(name: PutName): string {
    const bytes = this.current(name).finish();
    this.transfer = undefined;
    const restart = name === 'settings' ? this.storeSettings(bytes) : name === 'seed' ? this.storeSeed(bytes) : this.storeAttestation(bytes);
    return `covey-put done name=${name} bytes=${bytes.length} restart=${restart}`;
  }

  private current(name: PutName): PutTransfer {
    const transfer = this.transfer;
    if (transfer === undefined || transfer.name !== name) throw new PutError(`no ${name} transfer begun: send covey put ${name} begin <bytes> <crc32> first`);
    return transfer;
  }

  /** Checked whole with parseSettings, stored through the settings store (which checks again), or nothing stored. */
  private storeSettings(bytes: Uint8Array): 'no' | 'required' {
    const settings = settingsFromJson(decodeUtf8(bytes));
    saveSettings(this.options.kv, settings);
    if (this.keyReplaced) return 'required';
    return this.options.onSettings(settings) ? 'no' : 'required';
  }

  private storeSeed(bytes: Uint8Array): 'required' {
    // A stuck RNG or a zeroed file gives a constant: such a key would be shared by every device given it.
    if (bytes.every((b) => b === bytes[0])) throw new PutError('the seed is one byte repeated: not a key');
    this.options.kv.set(SEED_KEY, bytes);
    this.keyReplaced = true;
    return 'required';
  }

  private storeAttestation(bytes: Uint8Array): 'no' {
    const identity = this.options.device.identity;
    if (identity === undefined) throw new PutError('this device has no key for a certificate to name');
    if (this.keyReplaced) throw new PutError('the key stored in this boot takes effect at the restart: put the certificate after it');
    const problem = attestationProblem(bytes, identity.publicKey);
    if (problem !== undefined) throw new PutError(problem);
    this.options.kv.set(ATTEST_KEY, bytes);
    // Onboarding reads it from NVS each time it runs (src/hotspot.ts), so it counts from now on.
    return 'no';
  }
}
