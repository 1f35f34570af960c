/**
 * SimReports for the report suites, made without running the simulator: N hotspots over a city-like
 * square around Amsterdam (4 per km², as the built-in city), witness links between random pairs with
 * RSSI from the Oulu path loss (128.95 dB at 1 km, exponent 2.32, σ 7.8 dB) cut at SF12's sensitivity,
 * and every total consistent with the per-node and per-link figures. The same options give the same
 * report, byte for byte (SeededRng, never Math.random).
 */
import type { FaultResult, LinkResult, NodeResult, SimReport, SimResult } from '../../host-sim/report/model.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';

export interface FixtureOptions {
  /** Hotspots; default 40. */
  readonly nodes?: number;
  /** Witness links; default 8 per hotspot, at most every ordered pair. */
  readonly links?: number;
  /** Simulated hours; default 24. */
  readonly hours?: number;
  readonly seed?: number;
}

const CENTRE = { lat: 52.3676, lon: 4.9041 };
const KM_PER_DEG_LAT = 111.195;
const BOARDS = ['heltec_v2', 'heltec_v3', 'tbeam_v1', 't3s3'];
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const SENSITIVITY_DBM = -137;
const NOISE_FLOOR_DBM = -117; // −174 dBm/Hz + 10·log10(125 kHz) + 6 dB noise figure
const BEACON_AIRTIME_MS = 1482.8;
const MIN_DISTANCE_M = 400;
const OTHER_REASONS = ['bad_rssi', 'duplicate', 'too_late'];

const START = '2026-01-05T00:00:00.000Z';
const RUN = { version: '0.1.0', node: 'v20.20.0', wallSeconds: 95.25, cpuSeconds: 131.6, peakRssMb: 412.4, ingest: 'http', finishedAt: '2026-05-01T10:00:00.000Z' };

/** A hotspot run's report. */
export function simReportFixture(options: FixtureOptions = {}): SimReport {
  const count = options.nodes ?? 40;
  const hours = options.hours ?? 24;
  const rng = new SeededRng(options.seed ?? 1);
  const places = placeNodes(count, rng);
  const faultKinds = faultKindsByNode(count);
  const links = makeLinks(places, Math.min(options.links ?? count * 8, count * (count - 1)), hours, rng);
  const reasons: Record<string, number> = {};
  const [heardByOf, witnessedOf, validOf] = [new Array<number>(count).fill(0), new Array<number>(count).fill(0), new Array<number>(count).fill(0)];
  for (const link of links) {
    heardByOf[link.from] += link.receptions;
    witnessedOf[link.to] += link.receptions;
    validOf[link.to] += link.valid;
  }
  const perNode = places.map((place, index): NodeResult => {
    const beaconsSent = hours - rng.below(2);
    const [heardBy, witnessed, validWitnesses] = [heardByOf[index], witnessedOf[index], validOf[index]];
    const validBeacons = heardBy > 0 ? beaconsSent - rng.below(2) : 0;
    const receiptsCreated = witnessed + beaconsSent;
    return {
      index,
      name: `city-${String(index).padStart(count > 1000 ? String(count - 1).length : 3, '0')}`,
      address: `cv${Array.from({ length: 50 }, () => BASE32[rng.below(32)]).join('')}`,
      board: BOARDS[rng.below(BOARDS.length)],
      ...place,
      beaconsSent,
      beaconsHeardBy: heardBy,
      witnessed,
      receiptsCreated,
      receiptsUploaded: receiptsCreated - rng.below(3),
      validBeacons,
      validWitnesses,
      invalid: witnessed - validWitnesses + beaconsSent - validBeacons,
      airtimeMs: round(beaconsSent * BEACON_AIRTIME_MS, 1),
      rewards: round(validWitnesses * 1.5 + validBeacons * 0.25, 2),
      faults: faultKinds.get(index) ?? [],
    };
  });
  for (const link of links) {
    const invalid = link.receptions - link.valid;
    if (invalid === 0) continue;
    const reason = link.distanceM < MIN_DISTANCE_M ? 'below_min_distance' : OTHER_REASONS[rng.below(OTHER_REASONS.length)];
    reasons[reason] = (reasons[reason] ?? 0) + invalid;
  }
  const result: SimResult = {
    scenario: 'city',
    seed: options.seed ?? 1,
    region: 'EU868',
    startTime: START,
    simulatedHours: hours,
    nodes: count,
    ...totals(perNode, links, reasons, hours, rng),
    perNode,
    links,
    faults: faults(perNode),
    air: air(perNode, links, rng),
  };
  return { result, run: { ...RUN, events: 1000 * count * hours } };
}

/** The lorasim scenario's report: no hotspots, the DER instead. */
export function lorasimReportFixture(seed = 1): SimReport {
  const rng = new SeededRng(seed);
  const sent = 8600 + rng.below(80);
  const collided = 1500 + rng.below(200);
  const empty = { valid: 0, pending: 0, invalid: {} };
  const result: SimResult = {
    scenario: 'lorasim',
    seed,
    region: 'EU868',
    startTime: START,
    simulatedHours: 24,
    nodes: 0,
    beacons: { sent: 0, heard: 0, receptions: 0 },
    receipts: { created: 0, uploaded: 0, queued: 0 },
    verdicts: { beacons: empty, witnesses: empty },
    airtime: { totalMs: 0, perNodeMs: [], dutyCycle: [] },
    perNode: [],
    links: [],
    hourly: { beacons: [], receipts: [] },
    rssiHistogram: { from: -140, binWidth: 5, counts: [] },
    snrHistogram: { from: -20, binWidth: 2.5, counts: [] },
    faults: [],
    air: { transmissions: sent, delivered: sent - collided, belowSensitivity: 0, collided, halfDuplex: 0 },
    der: { experiment: 4, nodes: 100, avgSendMs: 1e6, simtimeMs: 8.64e7, sent, received: sent - collided, collided, lost: 0, der: round((sent - collided) / sent, 4) },
  };
  return { result, run: { ...RUN, wallSeconds: 3.5, cpuSeconds: 4.75, peakRssMb: 96, events: sent * 2, ingest: 'in-process' } };
}

type Place = Pick<NodeResult, 'lat' | 'lon' | 'heightM' | 'antennaGainDbi'>;

function placeNodes(count: number, rng: SeededRng): Place[] {
  const sideKm = Math.max(1, 5 * Math.sqrt(count / 100));
  const kmPerDegLon = KM_PER_DEG_LAT * Math.cos((CENTRE.lat * Math.PI) / 180);
  return Array.from({ length: count }, () => ({
    lat: round(CENTRE.lat + ((rng.fraction() - 0.5) * sideKm) / KM_PER_DEG_LAT, 7),
    lon: round(CENTRE.lon + ((rng.fraction() - 0.5) * sideKm) / kmPerDegLon, 7),
    heightM: round(10 + rng.fraction() * 20, 1),
    antennaGainDbi: [2, 3, 5][rng.below(3)],
  }));
}

function makeLinks(places: readonly Place[], wanted: number, hours: number, rng: SeededRng): LinkResult[] {
  const n = places.length;
  const pairs = new Set<number>();
  if (wanted === n * (n - 1)) {
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (a !== b) pairs.add(a * n + b);
  }
  while (pairs.size < wanted) {
    const [a, b] = [rng.below(n), rng.below(n)];
    if (a !== b) pairs.add(a * n + b);
  }
  return [...pairs].sort((x, y) => x - y).map((key) => {
    const [from, to] = [Math.floor(key / n), key % n];
    const distanceM = Math.round(distanceKm(places[from], places[to]) * 1000);
    const loss = 128.95 + 23.2 * Math.log10(Math.max(distanceM, 10) / 1000) + 7.8 * gaussian(rng);
    const rssi = Math.max(20 + places[from].antennaGainDbi + places[to].antennaGainDbi - loss, SENSITIVITY_DBM + 3 * rng.fraction());
    const receptions = 1 + rng.below(hours);
    const valid = distanceM < MIN_DISTANCE_M ? 0 : receptions - (rng.below(5) === 0 ? 1 : 0);
    return {
      from,
      to,
      receptions,
      meanRssiDbm: round(rssi, 1),
      bestRssiDbm: round(rssi + 6 * rng.fraction(), 1),
      meanSnrDb: round(Math.min(10, Math.max(-20, rssi - NOISE_FLOOR_DBM)), 1),
      distanceM,
      valid,
    };
  });
}

type Totals = Pick<SimResult, 'beacons' | 'receipts' | 'verdicts' | 'airtime' | 'hourly' | 'rssiHistogram' | 'snrHistogram'>;

function totals(perNode: readonly NodeResult[], links: readonly LinkResult[], reasons: Record<string, number>, hours: number, rng: SeededRng): Totals {
  const sent = sum(perNode.map((n) => n.beaconsSent));
  const created = sum(perNode.map((n) => n.receiptsCreated));
  const uploaded = sum(perNode.map((n) => n.receiptsUploaded));
  const validBeacons = sum(perNode.map((n) => n.validBeacons));
  const unheard = sum(perNode.map((n) => (n.beaconsHeardBy === 0 ? n.beaconsSent : 0)));
  const busiest = Math.max(0, ...perNode.map((n) => n.airtimeMs));
  const window = hours * 3_600_000;
  const rssi = new Array<number>(14).fill(0);
  const snr = new Array<number>(12).fill(0);
  for (const link of links) {
    rssi[clamp(Math.floor((link.meanRssiDbm + 140) / 5), 13)] += link.receptions;
    snr[clamp(Math.floor((link.meanSnrDb + 20) / 2.5), 11)] += link.receptions;
  }
  return {
    beacons: { sent, heard: sent - unheard, receptions: sum(links.map((l) => l.receptions)) },
    receipts: { created, uploaded, queued: created - uploaded },
    verdicts: {
      beacons: { valid: validBeacons, pending: 0, invalid: sortedKeys({ gateway_no_valid_witnesses: unheard, irregular_interval: sent - validBeacons - unheard }) },
      witnesses: { valid: sum(links.map((l) => l.valid)), pending: rng.below(20), invalid: sortedKeys(reasons) },
    },
    airtime: {
      totalMs: round(sum(perNode.map((n) => n.airtimeMs)), 1),
      perNodeMs: perNode.map((n) => n.airtimeMs),
      dutyCycle: [{ subBand: '869.4–869.65', limitPercent: 10, maxPercent: round((100 * busiest) / window, 3), meanPercent: round((100 * sum(perNode.map((n) => n.airtimeMs))) / Math.max(1, perNode.length) / window, 3) }],
    },
    hourly: { beacons: spread(sent, hours, rng), receipts: spread(created, hours, rng) },
    rssiHistogram: { from: -140, binWidth: 5, counts: rssi },
    snrHistogram: { from: -20, binWidth: 2.5, counts: snr },
  };
}

/** Which fault kinds involve which node, for reports of ten or more hotspots. */
function faultKindsByNode(count: number): Map<number, string[]> {
  if (count < 10) return new Map();
  return new Map([[3, ['power-cut']], [5, ['forge']], [7, ['collusion-ring']], [8, ['collusion-ring']], [9, ['collusion-ring']]]);
}

function faults(perNode: readonly NodeResult[]): FaultResult[] {
  if (perNode.length < 10) return [];
  const ring = [7, 8, 9];
  const ringPassed = sum(ring.map((i) => perNode[i].validWitnesses));
  return [
    { kind: 'power-cut', nodes: [3], description: `${perNode[3].name} loses power at 06:00 for 2 h`, caught: {}, passed: perNode[3].validWitnesses, outcome: 'Nothing to catch: the queue kept every acknowledged receipt and the hotspot resumed.' },
    { kind: 'ingest-outage', nodes: [], description: 'the ingest is down at 13:00 for 30 min', caught: {}, passed: 0, outcome: 'Receipts waited in flash and arrived late but intact, none twice.' },
    { kind: 'forge', nodes: [5], description: `${perNode[5].name} makes up receipts for beacons it never heard`, caught: { bad_rssi: 41, max_distance_exceeded: 12 }, passed: 9, outcome: 'The oracle refused 53 of 62 forged receipts; 9 had plausible RSSI and distance and passed.' },
    { kind: 'collusion-ring', nodes: ring, description: 'three hotspots of one owner witness each other without the radio', caught: {}, passed: ringPassed, outcome: `All ${ringPassed} made-up witnesses passed: proof of coverage cannot tell a ring from real neighbours.` },
  ];
}

function air(perNode: readonly NodeResult[], links: readonly LinkResult[], rng: SeededRng): SimResult['air'] {
  const transmissions = sum(perNode.map((n) => n.beaconsSent));
  return { transmissions, delivered: sum(links.map((l) => l.receptions)), belowSensitivity: rng.below(1000), collided: rng.below(100), halfDuplex: rng.below(20) };
}

/** `total` split over `parts` in random proportions (each 1 to 1.3 times the smallest), summing exactly to `total`. */
function spread(total: number, parts: number, rng: SeededRng): number[] {
  const weights = Array.from({ length: parts }, () => 1 + 0.3 * rng.fraction());
  const shares = weights.map((w) => (total * w) / sum(weights));
  const counts = shares.map(Math.floor);
  const byRemainder = shares.map((share, i) => ({ i, rest: share - counts[i] })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  const missing = total - sum(counts);
  for (let k = 0; k < missing; k++) counts[byRemainder[k].i]++;
  return counts;
}

function distanceKm(a: Place, b: Place): number {
  const north = (b.lat - a.lat) * KM_PER_DEG_LAT;
  const east = (b.lon - a.lon) * KM_PER_DEG_LAT * Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180);
  return Math.hypot(north, east);
}

/** A standard normal draw (Box–Muller). */
function gaussian(rng: SeededRng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.fraction())) * Math.cos(2 * Math.PI * rng.fraction());
}

function sortedKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const clamp = (value: number, max: number): number => Math.min(max, Math.max(0, value));
const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;
