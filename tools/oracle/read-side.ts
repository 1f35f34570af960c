/**
 * The oracle's read side: a hotspot's registry entry, attestation and verdict counts, how many hotspots
 * are attested and how many DIY, and an epoch's rewards as JSON or CSV. JSON field names are documented
 * in docs/oracle.md.
 */
import { COORDINATE_SCALE, hotspotAddress, parseHotspotId, shortName, toHex } from '../../proofs/index.js';
import { errorAnswer, jsonAnswer, type Answer } from './answer.js';
import type { AttestationRecord, RewardRow } from './model.js';
import type { HotspotSummary, OracleStore } from './store/store.js';
import type { TrustedVendors } from './trusted-vendors.js';

/** Counts keyed "kind status reason" regrouped as { beacons: {valid, invalid: {reason: n}, pending}, witnesses: … }. */
function verdictTable(byVerdict: Readonly<Record<string, number>>) {
  const table = {
    beacons: { valid: 0, pending: 0, invalid: {} as Record<string, number> },
    witnesses: { valid: 0, pending: 0, invalid: {} as Record<string, number> },
  };
  for (const [key, count] of Object.entries(byVerdict)) {
    const [kind, status, reason] = key.split(' ');
    const side = kind === 'beacon' ? table.beacons : table.witnesses;
    if (status === 'invalid') side.invalid[reason] = (side.invalid[reason] ?? 0) + count;
    else if (status === 'valid') side.valid += count;
    else side.pending += count;
  }
  return table;
}

/**
 * A recorded attestation counts while its vendor is in the trusted-vendors file the oracle runs with:
 * taking a vendor out of the file (its key leaked, it shipped copies) withdraws every attestation it gave.
 */
function attestationJson(attestation: AttestationRecord | undefined, trusted: TrustedVendors) {
  const vendor = attestation === undefined ? undefined : trusted.vendor(attestation.vendorKey);
  if (attestation === undefined || vendor === undefined) return 'diy' as const;
  return {
    vendor: vendor.name, vendorKey: toHex(attestation.vendorKey), model: attestation.model, serial: attestation.serial,
    issuedAt: new Date(attestation.issuedMs).toISOString(), attestedAt: new Date(attestation.attestedMs).toISOString(),
  };
}

/** Attested and DIY hotspot counts, per trusted vendor too. */
export interface AttestationTally {
  readonly hotspots: number;
  readonly attested: number;
  readonly diy: number;
  readonly vendors: readonly { readonly name: string; readonly publicKey: string; readonly hotspots: number }[];
}

export async function attestationTally(store: OracleStore, trusted: TrustedVendors): Promise<AttestationTally> {
  const [hotspots, counts] = [await store.hotspotCount(), await store.attestationCounts()];
  const vendors = trusted.vendors.map((vendor) => {
    const publicKey = toHex(vendor.publicKey);
    return { name: vendor.name, publicKey, hotspots: counts.get(publicKey) ?? 0 };
  });
  const attested = vendors.reduce((sum, vendor) => sum + vendor.hotspots, 0);
  return { hotspots, attested, diy: hotspots - attested, vendors };
}

/** `GET /v1/hotspots`: how many hotspots are registered, how many attested (by which vendor) and how many DIY. */
export async function hotspotsAnswer(store: OracleStore, trusted: TrustedVendors): Promise<Answer> {
  return jsonAnswer(200, await attestationTally(store, trusted));
}

export function hotspotJson(summary: HotspotSummary, trusted: TrustedVendors) {
  const { hotspot } = summary;
  const location = hotspot.location;
  return {
    hotspot: hotspotAddress(hotspot.key),
    key: toHex(hotspot.key),
    name: shortName(hotspot.key),
    status: location === undefined ? 'not_asserted' : 'active',
    location: location === undefined ? null : {
      lat: location.latE7 / COORDINATE_SCALE, lon: location.lonE7 / COORDINATE_SCALE, h3: location.cell,
    },
    gainDbi: hotspot.gainDdbi / 10,
    region: hotspot.region,
    registeredAt: new Date(hotspot.registeredMs).toISOString(),
    attestation: attestationJson(summary.attestation, trusted),
    lastBeaconAt: summary.lastBeaconMs === undefined ? null : new Date(summary.lastBeaconMs).toISOString(),
    lastWitnessAt: summary.lastWitnessMs === undefined ? null : new Date(summary.lastWitnessMs).toISOString(),
    ...verdictTable(summary.counts.byVerdict),
  };
}

export async function hotspotAnswer(store: OracleStore, idText: string, trusted: TrustedVendors): Promise<Answer> {
  let key: Uint8Array;
  try {
    key = parseHotspotId(idText);
  } catch (error) {
    return errorAnswer(400, 'bad_hotspot_id', error instanceof Error ? error.message : 'not a hotspot id');
  }
  const summary = await store.summary(key);
  if (summary === undefined) return errorAnswer(404, 'unknown_hotspot', 'no hotspot with that key is registered');
  return jsonAnswer(200, hotspotJson(summary, trusted));
}

const round = (value: number) => Math.round(value * 1e4) / 1e4;

export function rewardJson(row: RewardRow) {
  return {
    hotspot: hotspotAddress(row.hotspot), key: toHex(row.hotspot), beacons: row.beacons, witnesses: row.witnesses,
    beaconUnits: round(row.beaconUnits), witnessUnits: round(row.witnessUnits), scale: round(row.scale), amount: round(row.amount),
  };
}

export const REWARD_CSV_HEADER = 'epoch,hotspot,key,beacons,witnesses,beacon_units,witness_units,scale,amount';

export function rewardsCsv(epoch: number, rows: readonly RewardRow[]): string {
  const lines = rows.map((row) => {
    const r = rewardJson(row);
    return [epoch, r.hotspot, r.key, r.beacons, r.witnesses, r.beaconUnits, r.witnessUnits, r.scale, r.amount].join(',');
  });
  return [REWARD_CSV_HEADER, ...lines].join('\n') + '\n';
}

export async function rewardsAnswer(store: OracleStore, epochText: string, format: string | undefined, epochMs: number): Promise<Answer> {
  if (!/^\d{1,12}$/.test(epochText)) return errorAnswer(400, 'bad_epoch', 'an epoch is a whole number');
  const epoch = Number(epochText);
  const rows = await store.rewards(epoch);
  if (rows === undefined) return errorAnswer(404, 'epoch_open', `epoch ${epoch} is not closed (or holds nothing)`);
  if (format === 'csv') return { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8' }, body: rewardsCsv(epoch, rows) };
  return jsonAnswer(200, {
    epoch, start: new Date(epoch * epochMs).toISOString(), end: new Date((epoch + 1) * epochMs).toISOString(),
    rewards: rows.map(rewardJson),
  });
}
