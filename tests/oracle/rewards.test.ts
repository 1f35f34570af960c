/**
 * Reward arithmetic (poc.md §4) and the epoch close that applies it: HIP-15 units against the worked
 * examples, HIP-17 hex density against Helium's own test vector, the pool split, and HIP-83 selection.
 */
import { latLngToCell } from 'h3-js';
import { toHex, type BeaconReport, type Signer } from '../../proofs/index.js';
import { ORACLE_DEFAULTS, type OracleConfig } from '../../tools/oracle/config.js';
import type { HotspotRecord, StoredItem } from '../../tools/oracle/model.js';
import type { ReciprocityFacts } from '../../tools/oracle/store/store.js';
import { closeEpochVerdicts } from '../../tools/oracle/verifier/epoch.js';
import {
  beaconerUnits, epochPools, hexDensityScales, roundReward, witnessUnits,
} from '../../tools/oracle/verifier/rewards.js';
import { signerFor } from '../support/keys.js';
import {
  beaconReportFields, entropyRecord, hotspotAt, signedBeaconReport, signedReceipt, witnessReceiptFields,
} from '../support/oracle-items.js';

describe('HIP-15 reward units', () => {
  test.each([
    [0, 0, 1], [1, 0.25, 1], [2, 0.5, 1], [4, 1, 1], [5, 1.2, 0.76], [14, 1.8926, 0.222],
  ])('n = %i selected witnesses: beaconer %f, each witness %f (poc.md §4)', (n, beaconer, witness) => {
    expect(beaconerUnits(n)).toBe(beaconer);
    expect(witnessUnits(n)).toBe(witness);
  });

  test('units are rounded to 4 places, halves to even as rust_decimal round_dp does', () => {
    expect(roundReward(0.22195)).toBe(0.222);
    expect(roundReward(0.00005)).toBe(0);
    expect(roundReward(0.00015)).toBe(0.0002);
    expect(roundReward(1.89262581)).toBe(1.8926);
  });
});

describe('HIP-17 hex density', () => {
  // helium/oracles iot_verifier/src/hex_density.rs (commit 07a3aff), test simple_scale_check: live ledger
  // hotspots of res-8 hex 882830D341FFFFF on 2022-10-14, one entry per hotspot, with HIP-104's parameters.
  const HELIUM_HOTSPOTS = [
    '631210990515536895', '631210990515536895', '631210990515536895', '631210990515537919', '631210990515537919',
    '631210990515537919', '631210990515538431', '631210990515564031', '631210990515589631', '631210990515600383',
    '631210990515601919', '631210990515606527', '631210990515722239', '631210990515722239', '631210990515727359',
    '631210990515728895', '631210990515739647', '631210990515874303', '631210990515924479', '631210990516363775',
    '631210990515987455', '631210990516590079', '631210990516612607', '631210990516613631', '631210990516640767',
    '631210990516876799', '631210990516885503', '631210990516888063', '631210990516907007', '631210990516912639',
    '631210990516955647', '631210990516996607', '631210990517011455', '631210990517016575', '631210990517144063',
    '631210990517264895',
  ];
  const HELIUM_EXPECTED: Record<string, number> = {
    '631210990515537919': 0.006, '631210990516955647': 0.0417, '631210990516885503': 0.0139,
    '631210990515601919': 0.0104, '631210990516590079': 0.0556, '631210990516888063': 0.0139,
    '631210990516640767': 0.0556, '631210990516907007': 0.0208, '631210990515874303': 0.0556,
    '631210990517011455': 0.0139, '631210990516363775': 0.1667, '631210990515589631': 0.0104,
    '631210990516996607': 0.0139, '631210990515600383': 0.0104, '631210990517016575': 0.0139,
    '631210990515606527': 0.0104, '631210990515739647': 0.0083, '631210990516613631': 0.0278,
    '631210990516876799': 0.0139, '631210990515924479': 0.0556, '631210990515538431': 0.006,
    '631210990515536895': 0.006, '631210990517144063': 0.0833, '631210990517264895': 0.0833,
    '631210990516612607': 0.0278, '631210990515722239': 0.0083, '631210990516912639': 0.0208,
    '631210990515727359': 0.0083, '631210990515564031': 0.0417, '631210990515728895': 0.0083,
    '631210990515987455': 0.0556,
  };
  const h3 = (decimal: string) => BigInt(decimal).toString(16);

  test('Helium\'s scales for a dense res-8 hex of the 2022 ledger', () => {
    const scales = hexDensityScales(HELIUM_HOTSPOTS.map(h3));
    expect(scales.size).toBe(Object.keys(HELIUM_EXPECTED).length);
    for (const [decimal, scale] of Object.entries(HELIUM_EXPECTED)) expect(scales.get(h3(decimal))).toBe(scale);
  });

  test('a lone hotspot keeps its whole reward', () => {
    const cell = latLngToCell(52.37, 4.89, 12);
    expect(hexDensityScales([cell]).get(cell)).toBe(1);
  });

  test('three hotspots in one hex are clipped to one hotspot\'s worth: a third each', () => {
    const cell = latLngToCell(52.37, 4.89, 12);
    expect(hexDensityScales([cell, cell, cell]).get(cell)).toBe(0.3333);
  });
});

// ---------------------------------------------------------------------------------------------------
// Epoch close

const T0 = Date.UTC(2025, 2, 1, 7, 10);
const ENTROPY = entropyRecord(T0 / 60_000);
const EPOCH = Math.floor(T0 / ORACLE_DEFAULTS.rewardEpochMs);
const NOW = (EPOCH + 1) * ORACLE_DEFAULTS.rewardEpochMs + 3_600_000;
const RECIPROCAL: ReciprocityFacts = { passedWitness: true, passedBeaconWithWitness: true };

/** Phase 1's verdict on an item that passed. */
const valid = (fields: ReturnType<typeof beaconReportFields>): StoredItem => ({
  ...fields, status: 'valid', reason: 0, passed: true, selected: false, verifiedMs: T0 + 60_000, epoch: EPOCH,
});

/** A PoC that passed phase 1: the beacon received at `receivedMs`, witness i 100 ms × (i + 1) later. */
function passedPoc(beaconer: Signer, witnesses: readonly Signer[], receivedMs = T0 + 21_000, nonce = 1): StoredItem[] {
  const report: BeaconReport = signedBeaconReport(beaconer, { entropy: ENTROPY, nonce: Uint8Array.of(nonce, 0, 0, 0) });
  return [
    valid(beaconReportFields(report, beaconer.publicKey, receivedMs)),
    ...witnesses.map((w, i) =>
      valid(witnessReceiptFields(signedReceipt(report, w, { rssiDdbm: -1000 }), w.publicKey, receivedMs + 100 * (i + 1)))),
  ];
}

function close(items: StoredItem[], config: Partial<OracleConfig> = {}, hotspots?: Map<string, HotspotRecord>) {
  const facts = new Map(items.map((item) => [toHex(item.uploader), RECIPROCAL]));
  return closeEpochVerdicts(items, facts, { config: { ...ORACLE_DEFAULTS, ...config }, nowMs: NOW, epoch: EPOCH, hotspots });
}

const signers = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => signerFor(`${prefix} ${i}`));

describe('epoch close', () => {
  test('HIP-83: of 16 valid witnesses the first 14 to reach the oracle are selected and rewarded', () => {
    const witnesses = signers('selection witness', 16);
    // Received in reverse signer order, so selection cannot be following list order.
    const items = passedPoc(signerFor('selection beaconer'), [...witnesses].reverse());
    const { updates, rewards } = close(items);
    const byId = new Map(updates.map((u) => [toHex(u.id), u]));
    const witnessItems = items.slice(1);
    const selected = witnessItems.filter((w) => byId.get(toHex(w.id))?.selected === true);
    expect(selected).toEqual(witnessItems.slice(0, 14));
    for (const w of witnessItems.slice(14)) expect(byId.get(toHex(w.id))).toBeUndefined(); // valid, unselected: unchanged
    const rowOf = (key: Uint8Array) => rewards.find((r) => toHex(r.hotspot) === toHex(key));
    for (const w of selected) expect(rowOf(w.uploader)).toMatchObject({ witnesses: 1, witnessUnits: 0.222 });
    for (const w of witnessItems.slice(14)) expect(rowOf(w.uploader)).toBeUndefined();
    expect(rowOf(items[0].uploader)).toMatchObject({ beacons: 1, beaconUnits: 1.8926 });
  });

  test('witnesses received in the same millisecond are selected by id', () => {
    const witnesses = signers('tie witness', 2);
    const items = passedPoc(signerFor('tie beaconer'), witnesses).map((item) => ({ ...item, receivedMs: T0 + 30_000 }));
    const { updates } = close(items, { maxWitnessesPerBeacon: 1 });
    const chosen = updates.filter((u) => u.selected).map((u) => toHex(u.id));
    expect(chosen).toEqual([[toHex(items[1].id), toHex(items[2].id)].sort()[0]]);
  });

  test('the pool is split 6:24 between beacons and witnesses and paid out whole', () => {
    const [a, b, c, d, e, f] = signers('pool hotspot', 6);
    const items = [
      ...passedPoc(a, [b, c, d]), // a: 0.75; b, c, d: 1 each
      ...passedPoc(b, [a], T0 + 40_000, 2), // b: 0.25; a: 1
      ...passedPoc(c, [a, b, d, e, f], T0 + 50_000, 3), // c: 1.2; a, b, d, e, f: 0.76 each
    ];
    const { rewards } = close(items);
    const pools = epochPools(ORACLE_DEFAULTS);
    expect(pools.beacon).toBeCloseTo(ORACLE_DEFAULTS.rewardPoolPerEpoch * 6 / 30, 9);
    expect(pools.witness).toBeCloseTo(ORACLE_DEFAULTS.rewardPoolPerEpoch * 24 / 30, 9);
    expect(rewards.reduce((sum, r) => sum + r.amount, 0)).toBeCloseTo(ORACLE_DEFAULTS.rewardPoolPerEpoch, 6);
    const rowA = rewards.find((r) => toHex(r.hotspot) === toHex(a.publicKey));
    expect(rowA).toMatchObject({ epoch: EPOCH, beaconUnits: 0.75, witnessUnits: 1.76, beacons: 1, witnesses: 2, scale: 1 });
    // Beacon units 0.75 + 0.25 + 1.2 = 2.2; witness units 3 + 1 + 5 × 0.76 = 7.8.
    expect(rowA?.amount).toBeCloseTo((pools.beacon * 0.75) / 2.2 + (pools.witness * 1.76) / 7.8, 6);
    expect(rewards).toHaveLength(6);
  });

  test('with hex density scaling, a beaconer in a crowded hex earns less, and so do its witnesses', () => {
    const [crowded, twin, triplet, alone, w1, w2] = signers('scaled hotspot', 6);
    const hotspots = new Map<string, HotspotRecord>();
    const put = (s: Signer, lat: number, lon: number) => hotspots.set(toHex(s.publicKey), hotspotAt(s, lat, lon));
    [crowded, twin, triplet].forEach((s) => put(s, 52.37, 4.89));
    put(alone, 52.2, 5.2);
    put(w1, 52.3, 4.7);
    put(w2, 52.25, 4.75);
    const items = [...passedPoc(crowded, [w1]), ...passedPoc(alone, [w2], T0 + 40_000, 2)];
    const activeCells = [...hotspots.values()].map((h) => h.location?.cell ?? '');
    const { rewards } = closeEpochVerdicts(items, new Map(items.map((i) => [toHex(i.uploader), RECIPROCAL])), {
      config: { ...ORACLE_DEFAULTS, hexDensityScaling: true }, nowMs: NOW, epoch: EPOCH, activeCells, hotspots,
    });
    const row = (s: Signer) => rewards.find((r) => toHex(r.hotspot) === toHex(s.publicKey));
    expect(row(crowded)?.scale).toBe(0.3333);
    expect(row(alone)?.scale).toBe(1);
    expect((row(crowded)?.amount ?? 0) / (row(alone)?.amount ?? 1)).toBeCloseTo(0.3333, 4);
    expect((row(w1)?.amount ?? 0) / (row(w2)?.amount ?? 1)).toBeCloseTo(0.3333, 4);
  });

  test('hex density scaling refuses to run without the registry that places each hotspot', () => {
    const items = passedPoc(signerFor('unplaced beaconer'), [signerFor('unplaced witness')]);
    expect(() => close(items, { hexDensityScaling: true })).toThrow(TypeError);
  });
});
