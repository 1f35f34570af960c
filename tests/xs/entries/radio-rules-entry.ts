/**
 * XS entry for tests/xs/radio-rules-in-xs.test.ts: region plans, the duty-cycle accountant and listen
 * before talk exactly as the device bundles them. Device code: no Node built-ins.
 */
import { DutyCycleAccountant, type Transmission } from '../../../hal/radio/duty-cycle.js';
import { assessChannel, type ChannelAssessment } from '../../../hal/radio/lbt.js';
import { pocAirtimeMs, regionPlan, REGIONS } from '../../../hal/radio/regions.js';
import { VirtualClock } from '../../../host-sim/kernel/virtual-clock.js';
import { serveCommands } from '../../../tools/xs/entries/serve.js';

/** Every region's maximum-size beacon at full power through a fresh accountant, twice. */
function beacons() {
  return REGIONS.map((region) => {
    const accountant = new DutyCycleAccountant(region);
    const { poc } = region;
    const tx: Transmission = {
      frequencyHz: poc.frequencyHz,
      bandwidthHz: poc.bandwidthHz,
      airtimeMs: pocAirtimeMs(region),
      txPowerDbm: poc.maxConductedDbm,
    };
    const first = accountant.check(tx, 0);
    accountant.record(tx, 0);
    return { id: region.id, airtimeMs: tx.airtimeMs, first, second: accountant.check(tx, 1_000) };
  });
}

interface Attempt {
  readonly t: number;
  readonly airtimeMs: number;
}

/** Attempts at 868.1 MHz in EU868, each booked if allowed; the verdicts in order. */
function fill(attempts: readonly Attempt[], maxRecords: number) {
  const accountant = new DutyCycleAccountant(regionPlan('EU868'), { maxRecords });
  return attempts.map(({ t, airtimeMs }) => {
    const tx = { frequencyHz: 868_100_000, bandwidthHz: 125_000, airtimeMs, txPowerDbm: 14 };
    const verdict = accountant.check(tx, t);
    if (verdict.ok) accountant.record(tx, t);
    return verdict;
  });
}

let assessment: ChannelAssessment | string = 'pending';

/** Starts an assessment of the region's channel against a scripted RSSI per virtual millisecond. */
function startListen(regionId: string, powers: readonly number[]) {
  const clock = new VirtualClock(0);
  const radio = {
    rssi: () => powers[Math.min(clock.now(), powers.length - 1)],
    detectActivity: () => Promise.resolve(powers[0] > -90),
  };
  assessment = 'pending';
  assessChannel(radio, clock, regionPlan(regionId).lbt).then(
    (result) => {
      assessment = result;
    },
    (error: unknown) => {
      assessment = `failed: ${String(error)}`;
    },
  );
  clock.runUntilIdle();
  return clock.now();
}

serveCommands({
  beacons: () => beacons(),
  fill: (args) => fill(args.attempts as readonly Attempt[], Number(args.maxRecords)),
  startListen: (args) => startListen(String(args.region), args.powers as readonly number[]),
  listenResult: () => assessment,
});
