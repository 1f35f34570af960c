/**
 * Network (Wi-Fi and SNTP in the background) on fakes of "wifi" and "sntp" that send the legacy modules'
 * messages (tools/xs/moddable-fakes/fake-network.ts): nothing waits for it, it retries with growing waits,
 * and the clock gets wall time only from an SNTP answer.
 */
import { ModdableClock } from '../../hal/moddable/clock.js';
import { CONNECT_TIMEOUT_MS, Network, SNTP_RESYNC_MS } from '../../hal/moddable/network.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import type { WifiSettings } from '../../src/settings.js';
import { fakeNetworkEnvironment, fakeSntp, fakeWiFi, FAKE_TIMINGS_MS } from '../../tools/xs/moddable-fakes/fake-network.js';
import { fakeTime, fakeTimer, SystemTime } from '../../tools/xs/moddable-fakes/fake-time.js';
import { memoryLog } from '../support/test-ports.js';

const HOME: WifiSettings = { ssid: 'home', password: 'correct horse battery' };
const TRUE_WALL_S = 1_795_262_400;

/** `wifi`: the settings' network; null for none. */
function setUp(wifi: WifiSettings | null = HOME) {
  const world = new VirtualClock();
  const system = new SystemTime(world);
  const clock = new ModdableClock({ Timer: fakeTimer(world), Time: fakeTime(world, system), wallNow: () => system.now() });
  const env = fakeNetworkEnvironment(world, () => {
    throw new Error('no HTTP here');
  });
  env.sntpSeconds = () => TRUE_WALL_S + Math.floor(world.now() / 1000);
  const log = memoryLog();
  const network = new Network({ WiFi: fakeWiFi(env), SNTP: fakeSntp(env), clock, log, wifi: wifi ?? undefined, sntpHost: 'pool.ntp.org' });
  return { world, clock, env, log, network, system };
}

const messages = (log: ReturnType<typeof memoryLog>) => log.lines.map((line) => line.message);

test('start() returns at once, before any Wi-Fi message', () => {
  const { env, network, world } = setUp();
  env.accessPoint = HOME;
  network.start();
  expect(network.state).toBe('connecting');
  expect(world.now()).toBe(0);
});

test('station mode is set even without Wi-Fi settings (it powers the RF the RNG needs)', () => {
  const { env, network, log } = setUp(null);
  network.start();
  expect(env.stats.modeSets).toEqual([1]);
  expect(network.state).toBe('offline');
  expect(env.stats.wifiAttempts).toBe(0);
  expect(log.lines[0]).toMatchObject({ level: 'warn' });
});

test('with the access point in reach: online, then SNTP sets the clock', () => {
  const { env, network, world, clock, system } = setUp();
  env.accessPoint = HOME;
  network.start();
  world.advance(FAKE_TIMINGS_MS.associate + FAKE_TIMINGS_MS.address);
  expect(network.state).toBe('online');
  expect(clock.wallMs()).toBeUndefined();
  world.advance(FAKE_TIMINGS_MS.roundTrip);
  expect(network.timeSynced).toBe(true);
  expect(system.sets).toEqual([TRUE_WALL_S + 1]);
  expect(clock.wallMs()).toBe((TRUE_WALL_S + 1) * 1000);
});

test('the clock is set again every hour while online', () => {
  const { env, network, world, system } = setUp();
  env.accessPoint = HOME;
  network.start();
  world.advance(2_000 + 3 * SNTP_RESYNC_MS);
  expect(system.sets).toHaveLength(4);
});

test('with no access point: retried after 5, 10, 20, 40 s … up to 5 min, the hotspot never waiting on it', () => {
  const { env, network, world, log } = setUp();
  network.start();
  world.advance(30 * 60_000);
  const waits = log.lines.filter((line) => line.message === 'Wi-Fi not connected, retrying').map((line) => line.fields.retryInS);
  expect(waits.slice(0, 7)).toEqual([5, 10, 20, 40, 80, 160, 300]);
  expect(waits.slice(7).every((wait) => wait === 300)).toBe(true);
  expect(network.state).toBe('connecting');
  expect(env.stats.sntpQueries).toBe(0);
});

test('an access point that appears later is joined on the next attempt', () => {
  const { env, network, world } = setUp();
  network.start();
  world.advance(60_000);
  env.accessPoint = HOME;
  world.advance(300_000);
  expect(network.state).toBe('online');
  expect(network.timeSynced).toBe(true);
});

test('a rejected password is named, and the password itself never logged', () => {
  const { env, network, world, log } = setUp();
  env.accessPoint = { ssid: HOME.ssid, password: 'another one entirely' };
  network.start();
  world.advance(1_000);
  expect(log.lines.find((line) => line.message === 'Wi-Fi not connected, retrying')?.fields.reason).toBe('password rejected');
  expect(JSON.stringify(log.lines)).not.toContain(HOME.password);
});

test('an attempt that associates but gets no address within 30 s is retried', () => {
  const { env, network, world, log } = setUp();
  env.accessPoint = HOME;
  env.dhcp = false;
  network.start();
  world.advance(CONNECT_TIMEOUT_MS - 1);
  expect(env.stats.wifiAttempts).toBe(1);
  world.advance(1);
  expect(log.lines.find((line) => line.message === 'Wi-Fi not connected, retrying')?.fields.reason).toBe('no address');
  world.advance(5_000);
  expect(env.stats.wifiAttempts).toBe(2);
  // The second attempt started without DHCP too: it times out, and the third (10 s later) gets an address.
  env.dhcp = true;
  world.advance(CONNECT_TIMEOUT_MS + 10_000 + 1_000);
  expect(env.stats.wifiAttempts).toBe(3);
  expect(network.state).toBe('online');
});

test('SNTP that gives no time is retried after 30 s, and wall time stays unknown meanwhile', () => {
  const { env, network, world, clock, log } = setUp();
  env.accessPoint = HOME;
  const server: { answer: number | undefined } = { answer: undefined };
  env.sntpSeconds = () => server.answer;
  network.start();
  world.advance(2_000);
  expect(clock.wallMs()).toBeUndefined();
  expect(messages(log)).toContain('SNTP gave no time, retrying');
  server.answer = TRUE_WALL_S;
  world.advance(30_000);
  expect(env.stats.sntpQueries).toBe(2);
  expect(clock.wallMs()).toBeDefined();
});
