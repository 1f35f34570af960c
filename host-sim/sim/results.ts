/**
 * Turns a finished run into the report's `result` (host-sim/report/model.ts): what the air and the
 * hotspots did (the Observer, the firmware's counters) and what the oracle made of it (its database,
 * read back). Everything here depends only on the scenario and its seed; numbers are rounded as the
 * model documents, and objects are built in the model's key order, so the JSON is byte-identical
 * between two runs of one scenario and seed.
 */
import Database from 'better-sqlite3';
import { greatCircleDistance, UNITS } from 'h3-js';
import { toHex } from '../../proofs/bytes.js';
import { hotspotAddress } from '../../proofs/index.js';
import { reasonName } from '../../proofs/reasons.js';
import { regionPlan, subBandOf } from '../../hal/radio/regions.js';
import type {
  FaultResult, KindVerdicts, LinkResult, NodeResult, SimResult, SubBandDuty,
} from '../report/model.js';
import type { ActiveFault, JudgedItem } from './faults.js';
import { RSSI_BINS, SNR_BINS, type Observer } from './observe.js';
import type { SimWorld } from './world.js';

const round = (value: number, places: number) => Number(value.toFixed(places));

/** A raw row of judgedItems' statement, its columns in order: uploader and digest as lower-case hex. */
type ItemRow = [uploader: string, kind: 'beacon' | 'witness', digest: string, status: 'pending' | 'valid' | 'invalid', reason: number,
  timeMs: number, receivedMs: number];

/**
 * The oracle's database, closed by then. Opened for writing though only read: the last connection to close
 * removes the WAL and shared-memory files that opening a WAL database makes, and a read-only one cannot.
 */
function openClosedDatabase(world: SimWorld): Database.Database {
  return new Database(world.dbPath, { fileMustExist: true });
}

/** Every item the oracle holds, with its uploader as a node index (-1 for none of ours). */
function judgedItems(world: SimWorld, indexOfKey: Map<string, number>): JudgedItem[] {
  const db = openClosedDatabase(world);
  try {
    const statement = db.prepare(`SELECT lower(hex(uploader)), kind, lower(hex(digest)), status, reason, time_ms, received_ms
      FROM items ORDER BY received_ms, id`);
    // Row by row, with each digest's text shared by its beacon and witnesses: a day of 10,000 hotspots is
    // 700,000 items but about 70,000 digests. Raw rows (arrays) cost the driver less to make than objects.
    const digests = new Map<string, string>();
    const items: JudgedItem[] = [];
    for (const [uploader, kind, digestHex, status, reason, timeMs, receivedMs] of statement.raw(true).iterate() as IterableIterator<ItemRow>) {
      let digest = digests.get(digestHex);
      if (digest === undefined) digests.set(digestHex, (digest = digestHex));
      items.push({ uploader: indexOfKey.get(uploader) ?? -1, kind, digest, status, reason: reasonName(reason), timeMs, receivedMs });
    }
    return items;
  } finally {
    db.close();
  }
}

function rewardsByNode(world: SimWorld, indexOfKey: Map<string, number>): number[] {
  const totals = new Array<number>(world.nodes.length).fill(0);
  const db = openClosedDatabase(world);
  try {
    const rows = db.prepare('SELECT lower(hex(hotspot)) AS hotspot, amount FROM rewards ORDER BY epoch, hotspot').all() as { hotspot: string; amount: number }[];
    for (const row of rows) {
      const index = indexOfKey.get(row.hotspot);
      if (index !== undefined) totals[index] += row.amount;
    }
  } finally {
    db.close();
  }
  return totals;
}

function verdictsOf(items: readonly JudgedItem[], kind: 'beacon' | 'witness'): KindVerdicts {
  let valid = 0;
  let pending = 0;
  const invalid: Record<string, number> = {};
  for (const item of items) {
    if (item.kind !== kind) continue;
    if (item.status === 'valid') valid++;
    else if (item.status === 'pending') pending++;
    else invalid[item.reason] = (invalid[item.reason] ?? 0) + 1;
  }
  return { valid, pending, invalid: sortedRecord(invalid) };
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function buildResult(world: SimWorld, observer: Observer, faults: readonly ActiveFault[]): SimResult {
  const { scenario, nodes } = world;
  const keyHex = nodes.map((node) => toHex(node.boots[0]?.publicKey ?? new Uint8Array(32)));
  const indexOfKey = new Map(keyHex.map((hex, i) => [hex, i]));
  const items = judgedItems(world, indexOfKey);
  const rewards = rewardsByNode(world, indexOfKey);
  const hours = scenario.durationMs / 3_600_000;

  const beaconerOf = new Map<string, number>();
  for (const item of items) if (item.kind === 'beacon' && !beaconerOf.has(item.digest)) beaconerOf.set(item.digest, item.uploader);
  const perNodeCounts = nodes.map(() => ({ validBeacons: 0, validWitnesses: 0, invalid: 0 }));
  const validLinks = new Map<number, number>();
  const receiptsPerHour = new Array<number>(Math.max(1, Math.ceil(hours))).fill(0);
  for (const item of items) {
    if (item.uploader < 0) continue;
    const counts = perNodeCounts[item.uploader];
    if (item.status === 'invalid') counts.invalid++;
    if (item.status === 'valid' && item.kind === 'beacon') counts.validBeacons++;
    if (item.kind !== 'witness') continue;
    const hour = Math.floor((item.receivedMs - scenario.startMs) / 3_600_000);
    if (hour >= 0 && hour < receiptsPerHour.length) receiptsPerHour[hour]++;
    if (item.status !== 'valid') continue;
    counts.validWitnesses++;
    const beaconer = beaconerOf.get(item.digest);
    if (beaconer !== undefined && beaconer >= 0) {
      const key = beaconer * nodes.length + item.uploader;
      validLinks.set(key, (validLinks.get(key) ?? 0) + 1);
    }
  }

  // Every boot of every node: a power cut makes a node's counters start again in a new Hotspot.
  const statusesByNode = nodes.map((node) => node.boots.map((boot) => boot.status()));
  const plan = regionPlan(scenario.region);
  const duty = new Map<string, { limitPercent: number; percents: number[] }>();
  for (const band of plan.subBands) duty.set(band.name, { limitPercent: band.dutyCycle === null ? 100 : round(band.dutyCycle * 100, 3), percents: [] });
  let totalAirtimeMs = 0;
  const perNode: NodeResult[] = nodes.map((node, i) => {
    const statuses = statusesByNode[i];
    const air = world.air.stationStats(node.spec.name);
    totalAirtimeMs += air.airtimeMs;
    const byBand = new Map<string, number>();
    for (const [frequencyHz, ms] of air.airtimeByFrequencyMs) {
      const band = subBandOf(plan, frequencyHz, plan.poc.bandwidthHz).name;
      byBand.set(band, (byBand.get(band) ?? 0) + ms);
    }
    for (const [name, entry] of duty) entry.percents.push(((byBand.get(name) ?? 0) / scenario.durationMs) * 100);
    return {
      index: i, name: node.spec.name, address: hotspotAddress(node.boots[0].publicKey), board: node.spec.board,
      lat: node.spec.lat, lon: node.spec.lon, heightM: node.spec.heightM, antennaGainDbi: node.spec.antennaGainDbi,
      beaconsSent: statuses.reduce((n, s) => n + s.beacons.sent, 0),
      beaconsHeardBy: observer.heardBy[i], witnessed: observer.witnessed[i],
      receiptsCreated: statuses.reduce((n, s) => n + s.receipts.queued, 0),
      receiptsUploaded: statuses.reduce((n, s) => n + s.receipts.uploaded, 0),
      ...perNodeCounts[i], airtimeMs: round(air.airtimeMs, 3), rewards: round(rewards[i], 6),
      faults: faults.filter((f) => f.nodes.includes(i)).map((f) => f.fault.type),
    };
  });
  const dutyCycle: SubBandDuty[] = [...duty].filter(([, e]) => e.percents.some((p) => p > 0)).map(([subBand, e]) => ({
    subBand, limitPercent: e.limitPercent, maxPercent: round(Math.max(...e.percents), 4),
    meanPercent: round(e.percents.reduce((a, b) => a + b, 0) / Math.max(1, e.percents.length), 4),
  }));

  const links: LinkResult[] = [...observer.links.entries()].sort(([a], [b]) => a - b).map(([key, sums]) => {
    const from = Math.floor(key / nodes.length);
    const to = key % nodes.length;
    const [a, b] = [nodes[from].spec, nodes[to].spec];
    return {
      from, to, receptions: sums.count, meanRssiDbm: round(sums.rssiSum / sums.count, 1), bestRssiDbm: round(sums.rssiBest, 1),
      meanSnrDb: round(sums.snrSum / sums.count, 1), distanceM: Math.round(greatCircleDistance([a.lat, a.lon], [b.lat, b.lon], UNITS.m)),
      valid: validLinks.get(key) ?? 0,
    };
  });

  const statuses = statusesByNode.flat();
  const airTotals = world.air.stats;
  return {
    scenario: scenario.name, seed: scenario.seed, region: scenario.region, startTime: scenario.startTime,
    simulatedHours: round(hours, 3), nodes: nodes.length,
    beacons: { sent: observer.beaconsSent, heard: observer.beaconsHeardCount, receptions: observer.witnessed.reduce((a, b) => a + b, 0) },
    receipts: {
      created: statuses.reduce((n, s) => n + s.receipts.queued, 0),
      uploaded: statuses.reduce((n, s) => n + s.receipts.uploaded, 0),
      queued: nodes.reduce((n, node) => n + (node.boots.at(-1)?.status().queueSize ?? 0), 0),
    },
    verdicts: { beacons: verdictsOf(items, 'beacon'), witnesses: verdictsOf(items, 'witness') },
    airtime: { totalMs: round(totalAirtimeMs, 3), perNodeMs: perNode.map((n) => n.airtimeMs), dutyCycle },
    perNode, links,
    hourly: { beacons: [...observer.beaconsPerHour], receipts: receiptsPerHour },
    rssiHistogram: { from: RSSI_BINS.from, binWidth: RSSI_BINS.binWidth, counts: [...observer.rssiCounts] },
    snrHistogram: { from: SNR_BINS.from, binWidth: SNR_BINS.binWidth, counts: [...observer.snrCounts] },
    faults: faults.map((fault) => faultResult(fault, items, world)),
    air: {
      transmissions: airTotals.sent, delivered: airTotals.delivered, belowSensitivity: airTotals.lostBelowSensitivity,
      collided: airTotals.lostToCollision, halfDuplex: airTotals.lostToHalfDuplex,
    },
  };
}

function faultResult(active: ActiveFault, items: readonly JudgedItem[], world: SimWorld): FaultResult {
  const caught: Record<string, number> = { ...active.extraCaught };
  let passed = 0;
  let total = 0;
  for (const item of items) {
    if (!active.concerns(item)) continue;
    total++;
    if (item.status === 'valid') passed++;
    else if (item.status === 'invalid') caught[item.reason] = (caught[item.reason] ?? 0) + 1;
  }
  const caughtCount = Object.entries(caught).filter(([reason]) => reason !== 'duplicate_upload').reduce((n, [, c]) => n + c, 0);
  const top = Object.entries(caught).sort(([, a], [, b]) => b - a).slice(0, 3).map(([reason, n]) => `${reason} ${n}`).join(', ');
  const names = active.nodes.map((i) => world.nodes[i].spec.name);
  return {
    kind: active.fault.type, nodes: [...active.nodes], description: active.description, caught: sortedRecord(caught), passed,
    outcome: outcomeOf(active, total, caughtCount, passed, top, names, world),
  };
}

function outcomeOf(active: ActiveFault, total: number, caught: number, passed: number, top: string, names: readonly string[], world: SimWorld): string {
  const reasons = top === '' ? '' : ` (${top})`;
  switch (active.fault.type) {
    case 'power-cut':
    case 'radio-fault':
      return `${active.description}: of its ${count(total, 'item')} the oracle found ${passed} valid and ${caught} invalid${reasons}.`;
    case 'ingest-outage': {
      // Without the oracle there is no fresh entropy, and a hotspot does not beacon without it.
      const refused = world.nodes.reduce((n, node) => n + node.boots.reduce((m, boot) => m + boot.status().beacons.refusedNoEntropy, 0), 0);
      return `${active.description}: ${count(refused, 'beacon')} not sent for want of fresh entropy; ${count(total, 'item')} waited ` +
        `for the oracle to return, of which ${passed} still counted and ${caught} did not${reasons}.`;
    }
    case 'replay':
      if (active.fault.of === 'receipts') {
        return `${active.description}: ${count(active.extraCaught.duplicate_upload ?? 0, 'repeated batch', 'repeated batches')} answered as duplicates, nothing stored twice.`;
      }
      return `${active.description}: ${count(total, 'receipt')} of relayed beacons reached the oracle; ${caught} caught${reasons}, ${passed} passed as genuine.`;
    case 'forge':
    case 'collusion-ring':
      return `${names.join(', ')}: ${count(total, 'made-up receipt')} reached the oracle; ${caught} caught${reasons}, ${passed} passed ` +
        '(the oracle has no radio of its own: a believable RSSI at a believable distance passes).';
    case 'location-liar':
      return `${active.description}: of its ${count(total, 'item')} ${caught} were refused${reasons} and ${passed} passed.`;
  }
}

/** "1 item", "3 items". */
function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
