/**
 * What covey's build assumes about the Moddable SDK (8.x), in one place, each with where it was read:
 * the SDK paths manifest.json may name, and which SDK manifest provides each Moddable module that device
 * code imports. Nothing here can be checked without the SDK; `covey build` checks the paths against
 * $MODDABLE when it is set, and the tests hold manifest.json and the device imports to these lists.
 * Sources: reference/moddable.md (SDK HEAD 48ee02d8, "version bump 8.2.3") and the SDK files named.
 */

/** SDK manifests covey's manifest includes, by what they bring. */
export const SDK_MANIFESTS = {
  /** timer, time, instrumentation, Resource, debug; `strip: "*"`; the base creation (moddable.md §1). */
  base: '$(MODDABLE)/examples/manifest_base.json',
  /** The SDK's .d.ts files as modules, for mcconfig's tsc (moddable.md §1, "Typings"). */
  typings: '$(MODDABLE)/examples/manifest_typings.json',
  /**
   * ECMA-419 IO (embedded:io/*, embedded:provider/builtin, the preloaded "system"), and on ESP32 through
   * examples/manifest_net.json: socket, net, sntp, wifi and setup/network (modules/io/manifests/esp32).
   */
  io: '$(MODDABLE)/modules/io/manifest.json',
  /** The classic HTTP client, `import {Request} from "http"` (moddable.md §4, "HTTP"). */
  http: '$(MODDABLE)/modules/network/http/manifest.json',
  /** Raw access to a flash partition by name, `new Flash("covey")` (modules/files/flash/esp32/flash.c). */
  flash: '$(MODDABLE)/modules/files/flash/manifest.json',
  /** NVS key-value storage (moddable.md §4, "Preference"). */
  preference: '$(MODDABLE)/modules/files/preference/manifest.json',
  /** Native SHA-256/512 and other digests, `import {Digest} from "crypt"` (moddable.md §4, "Crypto"). */
  digest: '$(MODDABLE)/modules/crypt/digest/manifest.json',
  textDecoder: '$(MODDABLE)/modules/data/text/decoder/manifest.json',
  textEncoder: '$(MODDABLE)/modules/data/text/encoder/manifest.json',
} as const;

/**
 * The module that waits for Wi-Fi and SNTP before main runs (build/devices/esp32/setup/network.js,
 * mapped as "setup/network" by examples/manifest_net.json). With an SSID configured and no access point
 * in reach main would never run, so covey's manifest excludes it (moddable.md §1): a LoRa hotspot must
 * witness while offline, and the entry point starts Wi-Fi itself.
 */
export const SETUP_NETWORK = '$(MODDABLE)/build/devices/esp32/setup/network';

/** Every SDK path a covey manifest may name. */
export const KNOWN_SDK_PATHS: readonly string[] = [...Object.values(SDK_MANIFESTS), SETUP_NETWORK];

/** The SDK file a known path stands for: manifests as named, modules with their ".js". */
export function sdkFile(path: string): string {
  return path.endsWith('.json') ? path : `${path}.js`;
}

/** Where a Moddable module imported by device code comes from: an SDK manifest, or mcconfig itself. */
export type ModuleSource = (typeof SDK_MANIFESTS)[keyof typeof SDK_MANIFESTS] | 'mcconfig';

/**
 * Moddable modules device code may import, and what provides each. mcconfig generates "mc/config" from
 * the manifests' `config` (moddable.md §1). `embedded:*` names come from the IO manifest; "wifi", "net",
 * "sntp" and "socket" from manifest_net.json, which the IO manifest includes on ESP32.
 */
export const MODDABLE_MODULES: Readonly<Record<string, ModuleSource>> = {
  'mc/config': 'mcconfig',
  timer: SDK_MANIFESTS.base,
  time: SDK_MANIFESTS.base,
  instrumentation: SDK_MANIFESTS.base,
  debug: SDK_MANIFESTS.base,
  'embedded:provider/builtin': SDK_MANIFESTS.io,
  'embedded:io/analog': SDK_MANIFESTS.io,
  'embedded:io/digital': SDK_MANIFESTS.io,
  'embedded:io/digitalbank': SDK_MANIFESTS.io,
  'embedded:io/i2c': SDK_MANIFESTS.io,
  'embedded:io/pulsecount': SDK_MANIFESTS.io,
  'embedded:io/pwm': SDK_MANIFESTS.io,
  'embedded:io/serial': SDK_MANIFESTS.io,
  'embedded:io/smbus': SDK_MANIFESTS.io,
  'embedded:io/spi': SDK_MANIFESTS.io,
  'embedded:io/socket/tcp': SDK_MANIFESTS.io,
  'embedded:io/socket/udp': SDK_MANIFESTS.io,
  wifi: SDK_MANIFESTS.io,
  net: SDK_MANIFESTS.io,
  sntp: SDK_MANIFESTS.io,
  socket: SDK_MANIFESTS.io,
  http: SDK_MANIFESTS.http,
  flash: SDK_MANIFESTS.flash,
  preference: SDK_MANIFESTS.preference,
  crypt: SDK_MANIFESTS.digest,
  'text/decoder': SDK_MANIFESTS.textDecoder,
  'text/encoder': SDK_MANIFESTS.textEncoder,
};

/**
 * Values in Moddable's own Heltec WiFi LoRa 32 V2 target, read from
 * build/devices/esp32/targets/heltec_lora_32/host/provider.js (moddable.md §6). Kept only to check them
 * against hal/boards/heltec_v2.ts, which covey builds on that target: they are Moddable's numbers, not
 * covey's pins.
 */
export const MODDABLE_HELTEC_LORA_32 = {
  platform: 'esp32/heltec_lora_32',
  spi: { port: 1, clock: 5, in: 19, out: 27 },
  lora: { select: 18, reset: 14, interrupt: 26 },
  i2c: { data: 21, clock: 22 },
  pin: { led: 25, button: 0 },
} as const;
