/**
 * boot(): the device's power-on on fakes of every Moddable module it is handed (the same fakes the XS
 * tier uses, tools/xs/moddable-fakes/), in Node: which ports it builds, in which order, and the idle states
 * a device that cannot run stays in. tests/xs/moddable-main-in-xs.test.ts runs the real entry point in XS.
 */
import { boot, IDLE_REMINDER_MS, type DeviceModules } from '../../hal/moddable/boot.js';
import { boardById } from '../../hal/boards/index.js';
import type { SpiClass, SpiOptions } from '../../hal/drivers/ecma419.js';
import { TestAir } from '../../host-sim/air/test-air.js';
import { Axp192Chip } from '../../host-sim/chips/axp192.js';
import { emulateBoardRadio } from '../../host-sim/chips/board-radio.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import { SimFlash } from '../../host-sim/ports/flash.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import { fakeNetworkEnvironment, fakeRequest, fakeSntp, fakeWiFi } from '../../tools/xs/moddable-fakes/fake-network.js';
import { FakePreference, fakeFlash } from '../../tools/xs/moddable-fakes/fake-storage.js';
import { fakeTime, fakeTimer, SystemTime } from '../../tools/xs/moddable-fakes/fake-time.js';
import type { FakeTimer } from '../../tools/xs/moddable-fakes/fake-time.js';

const ORACLE_KEY = '11'.repeat(32);
const HOME = { ssid: 'home', password: 'correct horse battery' };
const SETTINGS = {
  region: 'EU868', oracleUrl: 'http://oracle.test', oraclePublicKey: ORACLE_KEY, wifi: HOME, statusIntervalMs: 60_000,
};

interface Rig {
  readonly world: VirtualClock;
  readonly modules: DeviceModules<FakeTimer>;
  readonly preference: FakePreference;
  readonly lines: string[];
  /** What happened, in order: SPI opened, Wi-Fi mode set, random draws. */
  readonly events: string[];
  readonly env: ReturnType<typeof fakeNetworkEnvironment>;
}

function rig(options: { board?: string; settings?: unknown; preference?: FakePreference; partitions?: string[]; chipAbsent?: boolean } = {}): Rig {
  const board = boardById(options.board ?? 'heltec_v2');
  const world = new VirtualClock();
  const system = new SystemTime(world);
  const emulated = emulateBoardRadio(board, { air: new TestAir(world), clock: world });
  const events: string[] = [];
  const RealSpi = emulated.io.SPI;
  const SPI = function SPI(spiOptions: SpiOptions) {
    events.push('spi');
    // An absent chip: MISO reads all zeros.
    if (options.chipAbsent) return { transfer: (b: Uint8Array) => b.fill(0), write: () => undefined, close: () => undefined };
    return new RealSpi(spiOptions);
  } as unknown as SpiClass;
  const env = fakeNetworkEnvironment(world, () => ({ status: 503, headers: {}, body: new Uint8Array(0) }));
  env.accessPoint = HOME;
  env.sntpSeconds = () => 1_795_262_400 + Math.floor(world.now() / 1000);
  const WiFi = fakeWiFi(env);
  const preference = options.preference ?? new FakePreference();
  if (options.settings !== undefined) preference.set('covey', 'settings', JSON.stringify(options.settings));
  const partitions: Record<string, { flash: SimFlash }> = {};
  for (const label of options.partitions ?? ['covey']) partitions[label] = { flash: new SimFlash({ size: 8 * 4096 }) };
  const random = new SeededRng(7);
  const lines: string[] = [];
  const modules: DeviceModules<FakeTimer> = {
    Timer: fakeTimer(world, (ms) => world.advance(ms)),
    Time: fakeTime(world, system),
    Preference: preference,
    Flash: fakeFlash(partitions),
    Request: fakeRequest(env),
    SNTP: fakeSntp(env),
    WiFi: new Proxy(WiFi, {
      set(target, key, value) {
        if (key === 'mode') events.push(`wifi mode ${String(value)}`);
        return Reflect.set(target, key, value);
      },
    }),
    io: { SPI, Digital: emulated.io.Digital, I2C: new Axp192Chip({ wiring: board.i2c }).I2C },
    config: { board: board.id },
    trace: (text) => lines.push(text),
    random: () => {
      if (events[events.length - 1] !== 'random') events.push('random');
      return random.nextUint32() / 2 ** 32;
    },
    wallNow: () => system.now(),
  };
  return { world, modules, preference, lines, events, env };
}

const starting = (lines: string[], prefix: string) => lines.filter((line) => line.startsWith(prefix));

describe('provisioned', () => {
  test('builds the ports, starts the hotspot, and the status line reaches the console each interval', () => {
    const { world, modules, lines } = rig({ settings: SETTINGS });
    const outcome = boot(modules);
    expect(outcome.state).toBe('running');
    expect(starting(lines, 'info hotspot started ')).toHaveLength(1);
    world.advance(3 * 60_000);
    expect(starting(lines, 'info status ')).toHaveLength(3);
  });

  test('Wi-Fi goes into station mode before the first random draw (the device key on first boot)', () => {
    const { modules, events } = rig({ settings: SETTINGS });
    boot(modules);
    expect(events.indexOf('wifi mode 1')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('wifi mode 1')).toBeLessThan(events.indexOf('random'));
  });

  test('returns before Wi-Fi is up: nothing waits for the network', () => {
    const { modules, world, env } = rig({ settings: SETTINGS });
    const outcome = boot(modules);
    expect(world.now()).toBe(0);
    expect(env.online).toBe(false);
    expect(outcome.state === 'running' && outcome.network.state).toBe('connecting');
  });

  test('the key made on first boot is the one found on the next (kept in Preference)', () => {
    const first = rig({ settings: SETTINGS });
    const a = boot(first.modules);
    const second = rig({ preference: first.preference });
    const b = boot(second.modules);
    expect(a.state === 'running' && b.state === 'running').toBe(true);
    if (a.state === 'running' && b.state === 'running') expect(b.hotspot.identity.address).toBe(a.hotspot.identity.address);
    expect(second.events).not.toContain('random');
  });

  test('the hotspot runs with the identity loaded at boot: one key, made once, logged once', () => {
    const { modules, lines } = rig({ settings: SETTINGS });
    const outcome = boot(modules);
    expect(outcome.state === 'running' && outcome.hotspot.identity).toBe(outcome.identity);
    expect(starting(lines, 'info identity ')).toHaveLength(1);
    expect(starting(lines, 'info identity ')[0]).toMatch(/ created=yes\n$/);
  });

  test('an https oracle is called out at boot: this build has no TLS', () => {
    const { modules, lines } = rig({ settings: { ...SETTINGS, oracleUrl: 'https://oracle.test' } });
    expect(boot(modules).state).toBe('running');
    expect(starting(lines, 'error the oracle URL is https')).toHaveLength(1);
  });
});

describe('idle states', () => {
  test('not provisioned: says so now and every minute, opens no radio and joins no Wi-Fi', () => {
    const { modules, lines, events, world, env } = rig();
    const outcome = boot(modules);
    expect(outcome.state).toBe('unprovisioned');
    world.advance(2 * IDLE_REMINDER_MS);
    expect(starting(lines, 'warn not provisioned, idle ')).toHaveLength(3);
    // Station mode only, for the RF the first-boot key's random draw needs.
    expect(events).toEqual(['wifi mode 1', 'random']);
    expect(env.stats.wifiAttempts).toBe(0);
  });

  test('not provisioned: the key is made all the same, and only its public forms are logged', () => {
    const { modules, lines, preference } = rig();
    const outcome = boot(modules);
    const identity = outcome.identity;
    expect(starting(lines, 'info identity ')).toEqual([`info identity address=${identity?.address} short=${identity?.shortName} created=yes\n`]);
    const seed = new Uint8Array(preference.get('covey', 'seed') as ArrayBuffer);
    expect(seed).toHaveLength(32);
    expect(lines.join('')).not.toContain(Buffer.from(seed).toString('hex'));
  });

  test('settings that do not validate: failed, naming the problem, at error level', () => {
    const { modules, lines } = rig({ settings: { ...SETTINGS, region: 'XX999' } });
    const outcome = boot(modules);
    expect(outcome.state).toBe('failed');
    expect(outcome.state !== 'running' && outcome.reason).toMatch(/region/);
    expect(starting(lines, 'error boot failed, idle ')).toHaveLength(1);
  });

  test('a build for an unknown board: failed, listing the boards', () => {
    const { modules } = rig({ settings: SETTINGS });
    const outcome = boot({ ...modules, config: { board: 'heltec_v9' } });
    expect(outcome.state !== 'running' && outcome.reason).toMatch(/valid boards: heltec_v2/);
  });

  test('no receipt partition: failed before the radio is opened', () => {
    const { modules, events } = rig({ settings: SETTINGS, partitions: ['other'] });
    const outcome = boot(modules);
    expect(outcome.state !== 'running' && outcome.reason).toBe("can't find partition");
    expect(events).not.toContain('spi');
  });

  test('no radio chip answering: failed, no hotspot runs, and no network is joined', () => {
    const { modules, lines, world, env } = rig({ settings: SETTINGS, chipAbsent: true });
    const outcome = boot(modules);
    expect(outcome.state !== 'running' && outcome.reason).toMatch(/RegVersion|version/i);
    world.advance(60_000);
    expect(starting(lines, 'info status ')).toHaveLength(0);
    expect(env.stats.wifiAttempts).toBe(0);
  });
});
