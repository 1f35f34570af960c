/**
 * A Heltec V2 fresh from the factory, booting through hal/moddable/main.ts inside XS with its USB console
 * open, and a host provisioning it over that console as `covey provision` does: the main scenario
 * (tools/xs/moddable-fakes/main-scenario.ts, handed in by ./moddable-provision-entry.js) with no settings
 * in NVS, and a console UART (./moddable-console.ts) on which, at `provisionAtMs`, the host asks
 * `covey id`, then sends the settings with `covey put settings begin|data|end`, one line at a time, each
 * after the device's answer to the one before (stop and wait). The device should start its hotspot on
 * those settings without a restart. Only answer lines (`covey-…`) are kept, and log lines counted, so that
 * what the host side keeps adds little to the live set measured. Device-legal code, for covey-xs.
 */
import { crc32 } from '../../../src/queue/crc32.js';
import type { ConsoleSerialOptions } from '../../../hal/moddable/console.js';
import device from '../../../tools/xs/moddable-fakes/modules/provider.js';
import { currentWorld } from '../../../tools/xs/moddable-fakes/world.js';
import { SCENARIO_ORACLE_URL } from '../../../tools/xs/scenarios/hotspot-scenario.js';
import type { MeteredScenario, ScenarioArgs } from '../../../tools/xs/scenarios/metered-scenario.js';
import { consoleUart, typeOn, type ConsoleWire } from './moddable-console.js';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Bytes per data line: 96 base64 characters. */
const CHUNK_BYTES = 72;
/** The main scenario's access point (main-scenario.ts TEST_NETWORK; not imported: see ./moddable-mapper-entry.js). */
const TEST_NETWORK = { ssid: 'covey-test', password: 'correct horse battery' };
/** How long the host takes to send its next line after an answer, ms. */
const HOST_DELAY_MS = 3;

/** RFC 4648 §4 base64, padded. */
function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64[n >> 18] + BASE64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? BASE64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? BASE64[n & 63] : '=';
  }
  return out;
}

/** ASCII text as bytes (the settings JSON here is ASCII). */
function ascii(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** `inner`: the main scenario, whose prepare() installs the fake Moddable world this one adds to. */
export function withProvisioningHost(inner: MeteredScenario): MeteredScenario {
  const answers: string[] = [];
  const counts = { logLines: 0, answerLines: 0, sent: 0 };
  let partial = '';
  let settings: Uint8Array = new Uint8Array(0);
  let offset = 0;
  const wire: ConsoleWire = { onWrite: (bytes) => received(bytes), refusals: 0, opened: 0 };
  const send = (line: string): void => {
    counts.sent++;
    currentWorld('provisioning host').Timer.set(() => typeOn(wire, `${line}\r\n`), HOST_DELAY_MS);
  };
  /** The host's next line after `line` from the device, stop and wait. */
  const onLine = (line: string): void => {
    if (!line.startsWith('covey-')) {
      counts.logLines++;
      return;
    }
    counts.answerLines++;
    answers.push(line);
    if (line.startsWith('covey-id ') && offset === 0) {
      const crc = crc32(settings).toString(16).padStart(8, '0');
      send(`covey put settings begin ${settings.length} ${crc}`);
    } else if (line.startsWith('covey-put ready ') || line.startsWith('covey-put ok ')) {
      if (offset < settings.length) {
        send(`covey put settings data ${base64(settings.subarray(offset, offset + CHUNK_BYTES))}`);
        offset += CHUNK_BYTES;
      } else {
        send('covey put settings end');
      }
    }
  };
  const received = (bytes: Uint8Array): void => {
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] !== 0x0a) {
        partial += String.fromCharCode(bytes[i]);
        continue;
      }
      const line = partial;
      partial = '';
      onLine(line);
    }
  };
  return {
    prepare(args: ScenarioArgs) {
      inner.prepare({ ...args, board: 'heltec_v2', provisioned: false });
      settings = ascii(JSON.stringify({
        region: 'EU868', oracleUrl: SCENARIO_ORACLE_URL, oraclePublicKey: args.oracleKey, wifi: TEST_NETWORK,
        beaconIntervalMs: 120_000, statusIntervalMs: 60_000, location: { lat: 52.52, lon: 13.4 },
      }));
      (device.io as Record<string, unknown>).Serial = function Serial(options: ConsoleSerialOptions) {
        return consoleUart(options, wire);
      };
      currentWorld('provisioning host').Timer.set(() => send('covey id'), Number(args.provisionAtMs ?? 2_000));
    },
    start: () => inner.start(),
    turn: () => inner.turn(),
    counters: () => ({ ...inner.counters(), ...counts }),
    report() {
      return {
        ...(inner.report?.() ?? {}),
        answers,
        consoleRefusals: wire.refusals,
        consolesOpened: wire.opened,
        settingsBytes: settings.length,
      };
    },
  };
}
