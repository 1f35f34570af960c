/**
 * A fake covey device on @serialport/binding-mock that speaks the firmware's provisioning console
 * (docs/firmware.md): `covey id`, `covey put <name> begin|data|end` with stop-and-wait answers, `covey
 * mode selftest`, and `covey-error` for anything else. It checks what it is sent as the firmware does:
 * length and CRC-32 of each value, parseSettings on the settings, 32 bytes for a seed, a certificate for
 * this device's key. Its own log lines are mixed into the answers, with \n and \r\n endings.
 */
import { crc32 } from 'node:zlib';
import { decodeDeviceCertificate, equalBytes, hotspotAddress, shortName, toHex } from '../../proofs/index.js';
import { parseSettings } from '../../src/settings.js';
import type { SerialBinding } from '../../tools/provision/console-client.js';
import { createHostSigner } from '../../tools/crypto/node-ed25519.js';
import { scriptedBinding } from '../support/mock-serial.js';

export { MockBinding } from '../support/mock-serial.js';

export interface FakeDeviceOptions {
  readonly path: string;
  readonly board?: string;
  /** The device's key; undefined for a device without one. */
  readonly publicKey?: Uint8Array;
  readonly state?: 'unprovisioned' | 'running' | 'failed' | 'selftest';
  /** Firmware without provisioning: every command gets `covey-error unknown command`. */
  readonly noProvisioning?: boolean;
  /** Stop answering once a line starting with this arrives (the line itself is not answered). */
  readonly goSilentAt?: string;
  /** Refuse this value at its end with this reason. */
  readonly refuse?: { readonly name: string; readonly reason: string };
}

interface Upload {
  readonly name: string;
  readonly size: number;
  readonly crc: string;
  bytes: Buffer;
}

export class FakeDevice {
  readonly binding: SerialBinding;
  /** What it stored, as Preference would hold it. */
  readonly stored = new Map<string, Uint8Array | string>();
  /** Every line it was sent. */
  readonly received: string[] = [];
  private publicKey?: Uint8Array;
  private state: string;
  private readonly options: FakeDeviceOptions;
  private upload?: Upload;
  private silent = false;
  private input = '';
  private emitQueue: Promise<void> = Promise.resolve();

  constructor(options: FakeDeviceOptions) {
    this.options = options;
    this.publicKey = options.publicKey;
    this.state = options.state ?? 'unprovisioned';
    this.binding = scriptedBinding(options.path, {
      onWrite: (port, data) => {
        this.input += data.toString('utf8');
        let end: number;
        while ((end = this.input.indexOf('\n')) >= 0) {
          const line = this.input.slice(0, end).replace(/\r$/, '');
          this.input = this.input.slice(end + 1);
          this.received.push(line);
          // Each answer after a log line, in two pieces, on later turns of the event loop.
          for (const text of this.answer(line)) {
            this.emitQueue = this.emitQueue.then(() => new Promise<void>((resolve) => setTimeout(() => {
              port.send(text);
              resolve();
            }, 0)));
          }
        }
      },
    });
  }

  /** The text the device sends for `line`, as pieces: log noise first, the answer split in two. */
  private answer(line: string): string[] {
    if (this.silent || (this.options.goSilentAt !== undefined && line.startsWith(this.options.goSilentAt))) {
      this.silent = true;
      return [];
    }
    const reply = this.reply(line);
    const noise = `info status up=${this.received.length}m clock=ok beacons=0\r\n`;
    const cut = Math.ceil(reply.length / 2);
    return [noise, reply.slice(0, cut), `${reply.slice(cut)}\n`];
  }

  private reply(line: string): string {
    const unknown = `covey-error unknown command "${line.slice(0, 40)}"`;
    if (this.options.noProvisioning === true) return unknown;
    if (line === 'covey id') return this.idLine();
    if (line === 'covey mode selftest') {
      this.stored.set('mode', 'selftest');
      return 'covey-mode selftest restart=required';
    }
    const put = /^covey put (\w+) (begin|data|end)(?: (.*))?$/.exec(line);
    if (put === null) return unknown;
    const [, name, step, rest = ''] = put;
    if (step === 'begin') return this.begin(name, rest);
    if (this.upload === undefined || this.upload.name !== name) return `covey-put error name=${name} reason="no upload of ${name} begun"`;
    if (step === 'data') {
      if (rest.length > 96) return `covey-put error name=${name} reason="data line too long"`;
      this.upload.bytes = Buffer.concat([this.upload.bytes, Buffer.from(rest, 'base64')]);
      return `covey-put ok name=${name} have=${this.upload.bytes.length}`;
    }
    return this.end(this.upload);
  }

  private idLine(): string {
    const key = this.publicKey;
    const id = key === undefined ? 'key=none address=none short=none' : `key=${toHex(key)} address=${hotspotAddress(key)} short=${shortName(key)}`;
    return `covey-id ${id} board=${this.options.board ?? 'heltec_v3'} state=${this.state} attested=${this.stored.has('attest') ? 'yes' : 'no'}`;
  }

  private begin(name: string, rest: string): string {
    const match = /^(\d+) ([0-9a-f]{8})( replace)?$/.exec(rest);
    if (!['settings', 'seed', 'attest'].includes(name) || match === null) return `covey-put error name=${name} reason="bad begin line"`;
    if (name === 'seed' && this.publicKey !== undefined && match[3] === undefined) {
      return 'covey-put error name=seed reason="the device has a key: add replace to replace it"';
    }
    this.upload = { name, size: Number(match[1]), crc: match[2], bytes: Buffer.alloc(0) };
    return `covey-put ready name=${name}`;
  }

  private end(upload: Upload): string {
    this.upload = undefined;
    const { name, bytes } = upload;
    const error = (reason: string) => `covey-put error name=${name} reason="${reason.replace(/"/g, '\\"')}"`;
    if (bytes.length !== upload.size) return error(`got ${bytes.length} bytes, expected ${upload.size}`);
    if ((crc32(bytes) >>> 0).toString(16).padStart(8, '0') !== upload.crc) return error('CRC-32 mismatch');
    if (this.options.refuse?.name === name) return error(this.options.refuse.reason);
    let restart = 'required';
    if (name === 'settings') {
      try {
        parseSettings(JSON.parse(bytes.toString('utf8')));
      } catch (caught) {
        return error((caught as Error).message);
      }
      this.stored.set('settings', bytes.toString('utf8'));
      if (this.state === 'unprovisioned') {
        this.state = 'running';
        restart = 'no';
      }
    } else if (name === 'seed') {
      if (bytes.length !== 32) return error('a seed is 32 bytes');
      this.stored.set('seed', new Uint8Array(bytes));
      this.publicKey = createHostSigner(new Uint8Array(bytes)).publicKey;
    } else {
      try {
        const certificate = decodeDeviceCertificate(new Uint8Array(bytes));
        if (this.publicKey === undefined || !equalBytes(certificate.device, this.publicKey)) return error('the certificate is for another device');
      } catch (caught) {
        return error((caught as Error).message);
      }
      this.stored.set('attest', new Uint8Array(bytes));
      restart = 'no';
    }
    return `covey-put done name=${name} bytes=${bytes.length} restart=${restart}`;
  }
}
