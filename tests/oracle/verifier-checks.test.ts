/**
 * The verifier's checks, one invalid reason per test. Each test starts from one honest PoC near
 * Amsterdam (a beaconer at 14 dBm on 868.1 MHz EU868, three witnesses 1, 5 and 15 km away with plausible
 * RSSI), built from real signed messages, and changes exactly one thing, so exactly one check trips.
 */
import { reasonName, toHex, type BeaconReport, type Signer } from '../../proofs/index.js';
import { ORACLE_DEFAULTS, type OracleConfig } from '../../tools/oracle/config.js';
import type { HotspotRecord, StoredItem, VerdictUpdate } from '../../tools/oracle/model.js';
import type { ReciprocityFacts } from '../../tools/oracle/store/store.js';
import { judgeGroup, type GroupContext } from '../../tools/oracle/verifier/checks.js';
import { closeEpochVerdicts } from '../../tools/oracle/verifier/epoch.js';
import { signerFor } from '../support/keys.js';
import {
  applyVerdicts, beaconReportFields, entropyRecord, hotspotAt, pendingItem, signedBeaconReport, signedReceipt,
  witnessReceiptFields, type BeaconOptions, type HotspotOptions, type ReceiptOptions,
} from '../support/oracle-items.js';

const MINUTE = 60_000;
/** 2025-03-01 07:10 UTC: the entropy the beacon quotes begins then, inside the 06:00–12:00 beacon interval. */
const T0 = Date.UTC(2025, 2, 1, 7, 10);
const ENTROPY = entropyRecord(T0 / MINUTE);
const BEACON_RECEIVED = T0 + 21_000;
const NOW = T0 + 5 * MINUTE;

const BEACONER = signerFor('verifier beaconer');
const W1 = signerFor('verifier witness 1 km');
const W2 = signerFor('verifier witness 5 km');
const W3 = signerFor('verifier witness 15 km');
const NEAR = signerFor('verifier witness 100 m');
const FAR = signerFor('verifier witness 150 km');

/** Where each hotspot is asserted (degrees), and an RSSI below the free-space limit at that distance. */
const PLACES = new Map<Signer, { lat: number; lon: number; rssiDdbm: number }>([
  [BEACONER, { lat: 52.37, lon: 4.89, rssiDdbm: 0 }],
  [W1, { lat: 52.379, lon: 4.89, rssiDdbm: -950 }], // 1.0 km north: free space allows −73 dBm
  [W2, { lat: 52.37, lon: 4.9635, rssiDdbm: -1000 }], // 5.0 km east: −87 dBm
  [W3, { lat: 52.235, lon: 4.89, rssiDdbm: -1050 }], // 15 km south: −97 dBm
  [NEAR, { lat: 52.3709, lon: 4.89, rssiDdbm: -600 }], // 105 m: 3 res-11 cells away
  [FAR, { lat: 51.02, lon: 4.89, rssiDdbm: -1300 }], // 150 km: −117 dBm
]);

function place(signer: Signer) {
  const found = PLACES.get(signer);
  if (found === undefined) throw new Error('no place for this signer');
  return found;
}

const hotspot = (signer: Signer, options?: HotspotOptions): HotspotRecord =>
  hotspotAt(signer, place(signer).lat, place(signer).lon, options);

function registry(...records: HotspotRecord[]): Map<string, HotspotRecord> {
  return new Map(records.map((r) => [toHex(r.key), r]));
}

const ALL = [BEACONER, W1, W2, W3, NEAR, FAR];
const everyone = () => registry(...ALL.map((s) => hotspot(s)));
/** Everyone registered as usual, except these records. */
const everyoneBut = (...records: HotspotRecord[]) => registry(...ALL.map((s) => records.find((r) => toHex(r.key) === toHex(s.publicKey)) ?? hotspot(s)));

const report = (options: Partial<BeaconOptions> = {}) => signedBeaconReport(BEACONER, { entropy: ENTROPY, ...options });
const beaconItem = (r: BeaconReport, receivedMs = BEACON_RECEIVED, by = BEACONER) =>
  pendingItem(beaconReportFields(r, by.publicKey, receivedMs));

function witnessItem(r: BeaconReport, by: Signer, receivedMs: number, options: Partial<ReceiptOptions> = {}): StoredItem {
  const receipt = signedReceipt(r, by, { rssiDdbm: place(by).rssiDdbm, ...options });
  return pendingItem(witnessReceiptFields(receipt, by.publicKey, receivedMs));
}

/** The honest PoC: the beacon, then W1, W2, W3 half a second apart. */
function honestPoc(r = report()): StoredItem[] {
  return [
    beaconItem(r),
    witnessItem(r, W1, BEACON_RECEIVED + 500),
    witnessItem(r, W2, BEACON_RECEIVED + 1000),
    witnessItem(r, W3, BEACON_RECEIVED + 1500),
  ];
}

interface Overrides extends Partial<Omit<GroupContext, 'config'>> {
  readonly config?: Partial<OracleConfig>;
}

function context(overrides: Overrides = {}): GroupContext {
  return {
    nowMs: NOW,
    hotspots: everyone(),
    entropy: ENTROPY,
    earlierBeacons: [],
    ...overrides,
    config: { ...ORACLE_DEFAULTS, ...overrides.config },
  };
}

/** Each item's verdict in item order: "valid", "<side>:<reason>", or "pending" when it got none. */
function outcome(items: readonly StoredItem[], updates: readonly VerdictUpdate[]): string[] {
  return items.map((item) => {
    const u = updates.find((v) => toHex(v.id) === toHex(item.id));
    if (u === undefined) return 'pending';
    return u.status === 'valid' ? 'valid' : `${u.side}:${reasonName(u.reason)}`;
  });
}

const judged = (items: readonly StoredItem[], overrides: Overrides = {}) => outcome(items, judgeGroup(items, context(overrides)));
const hex = (s: Signer) => toHex(s.publicKey);

describe('phase 1: an honest PoC', () => {
  test('three witnesses 1–20 km away at plausible RSSI in EU868 at 868.1 MHz are valid and selected (up to the cap) in phase 1', () => {
    const items = honestPoc();
    const updates = judgeGroup(items, context());
    expect(outcome(items, updates)).toEqual(['valid', 'valid', 'valid', 'valid']);
    for (const u of updates) {
      expect(u).toMatchObject({ status: 'valid', reason: 0, passed: true, verifiedMs: NOW });
      expect(u.epoch).toBe(Math.floor(BEACON_RECEIVED / ORACLE_DEFAULTS.rewardEpochMs));
      expect(u.side).toBeUndefined();
    }
    expect(updates.map((u) => u.selected)).toEqual([false, true, true, true]);
    const capped = judgeGroup(items, context({ config: { ...ORACLE_DEFAULTS, maxWitnessesPerBeacon: 2 } }));
    expect(capped.map((u) => [u.status, u.selected])).toEqual([['valid', false], ['valid', true], ['valid', true], ['valid', false]]);
  });

  test('items already judged are context only: only pending ones get a verdict', () => {
    const items = honestPoc();
    const firstThree = applyVerdicts(items, judgeGroup(items.slice(0, 3), context()));
    expect(judged(firstThree)).toEqual(['pending', 'pending', 'pending', 'valid']);
  });

  test('a witness arriving after its beacon was judged invalid takes the beacon\'s reason', () => {
    const r = report();
    const beacon = applyVerdicts([beaconItem(r)], judgeGroup([beaconItem(r)], context({ entropy: undefined })));
    expect(judged([...beacon, witnessItem(r, W1, BEACON_RECEIVED + 500)])).toEqual(['pending', 'beaconer:bad_entropy']);
  });
});

describe('phase 1: beacon checks (an invalid beacon takes its witnesses with it)', () => {
  const allBeaconer = (reason: string) => Array(4).fill(`beaconer:${reason}`);

  test('gateway_not_found: the beaconer is not registered', () => {
    const hotspots = registry(hotspot(W1), hotspot(W2), hotspot(W3));
    expect(judged(honestPoc(), { hotspots })).toEqual(allBeaconer('gateway_not_found'));
  });

  test('not_asserted: the beaconer has no location', () => {
    expect(judged(honestPoc(), { hotspots: everyoneBut(hotspot(BEACONER, { asserted: false })) })).toEqual(allBeaconer('not_asserted'));
  });

  test('denied: the beaconer is on the denylist', () => {
    expect(judged(honestPoc(), { config: { denylist: [hex(BEACONER)] } })).toEqual(allBeaconer('denied'));
  });

  test('bad_entropy: the oracle never issued the quoted entropy', () => {
    expect(judged(honestPoc(), { entropy: undefined })).toEqual(allBeaconer('bad_entropy'));
  });

  test('bad_entropy: the frame quotes the wrong first bytes of the entropy', () => {
    expect(judged(honestPoc(report({ entropyTag: Uint8Array.of(9, 9, 9, 9) })))).toEqual(allBeaconer('bad_entropy'));
  });

  test('entropy_expired: the beacon reached the oracle more than entropyLifespanMs after its entropy began', () => {
    const r = report();
    const lifespanEnd = T0 + ORACLE_DEFAULTS.entropyLifespanMs;
    const poc = (at: number) => [beaconItem(r, at), witnessItem(r, W1, at + 500)];
    expect(judged(poc(lifespanEnd + 1))).toEqual(['beaconer:entropy_expired', 'beaconer:entropy_expired']);
    expect(judged(poc(lifespanEnd))).toEqual(['valid', 'valid']);
    expect(judged(poc(T0 - 1))).toEqual(['beaconer:entropy_expired', 'beaconer:entropy_expired']);
  });

  test('irregular_interval: another beacon of the beaconer reached the oracle first in the same 6 h interval', () => {
    const before = (minutes: number) => {
      const entropy = entropyRecord(T0 / MINUTE - minutes);
      const other = signedBeaconReport(BEACONER, { entropy, nonce: Uint8Array.of(7, 7, 7, 7) });
      return { ...beaconItem(other, entropy.timeMs + 21_000), status: 'invalid' as const, reason: 9 };
    };
    // 06:30 is in the beacon's 06:00–12:00 interval, even though that beacon was itself invalid.
    expect(judged(honestPoc(), { earlierBeacons: [before(40)] })).toEqual(allBeaconer('irregular_interval'));
    // 05:50 is in the interval before.
    expect(judged(honestPoc(), { earlierBeacons: [before(80)] })).toEqual(Array(4).fill('valid'));
  });

  test('irregular_interval: a later beacon in the same interval does not invalidate the first', () => {
    const later = signedBeaconReport(BEACONER, { entropy: entropyRecord(T0 / MINUTE + 30), nonce: Uint8Array.of(7, 7, 7, 7) });
    const laterItem = beaconItem(later, T0 + 30 * MINUTE + 21_000);
    expect(judged(honestPoc(), { earlierBeacons: [laterItem] })).toEqual(Array(4).fill('valid'));
  });

  test('invalid_frequency: the beacon was sent outside every sub-band of the beaconer\'s region', () => {
    // 880 MHz is above EU868's 863–870 MHz; the witnesses heard it there, so only the beacon check can trip.
    expect(judged(honestPoc(report({ frequencyHz: 880_000_000 })))).toEqual(allBeaconer('invalid_frequency'));
  });

  test('duplicate: a second report of the same frame counts once, the first', () => {
    const items = honestPoc();
    const again = beaconItem(report({ timeMs: T0 + 20_001 }), BEACON_RECEIVED + 200);
    expect(toHex(again.digest)).toBe(toHex(items[0].digest));
    expect(judged([...items, again])).toEqual(['valid', 'valid', 'valid', 'valid', 'beaconer:duplicate']);
  });
});

describe('phase 1: witness checks', () => {
  const r = report();
  const withW2 = (w2: StoredItem) => [beaconItem(r), witnessItem(r, W1, BEACON_RECEIVED + 500), w2, witnessItem(r, W3, BEACON_RECEIVED + 1500)];
  const w2 = (options: Partial<ReceiptOptions> = {}, receivedMs = BEACON_RECEIVED + 1000) => witnessItem(r, W2, receivedMs, options);
  const onlyW2 = (verdict: string) => ['valid', 'valid', verdict, 'valid'];

  test('duplicate: the same witness sent a second receipt for the beacon', () => {
    const again = witnessItem(r, W1, BEACON_RECEIVED + 1200, { rssiDdbm: -960 });
    expect(judged([...withW2(w2()), again])).toEqual(['valid', 'valid', 'valid', 'valid', 'witness:duplicate']);
  });

  test('gateway_not_found: the witness is not registered', () => {
    const hotspots = registry(hotspot(BEACONER), hotspot(W1), hotspot(W3));
    expect(judged(withW2(w2()), { hotspots })).toEqual(onlyW2('witness:gateway_not_found'));
  });

  test('not_asserted: the witness has no location', () => {
    expect(judged(withW2(w2()), { hotspots: everyoneBut(hotspot(W2, { asserted: false })) })).toEqual(onlyW2('witness:not_asserted'));
  });

  test('denied: the witness is on the denylist', () => {
    expect(judged(withW2(w2()), { config: { denylist: [hex(W2).toUpperCase()] } })).toEqual(onlyW2('witness:denied'));
  });

  test('denied_edge: the pair may not witness each other, whichever way round it is listed', () => {
    expect(judged(withW2(w2()), { config: { deniedEdges: [[hex(W2), hex(BEACONER)]] } })).toEqual(onlyW2('witness:denied_edge'));
    expect(judged(withW2(w2()), { config: { deniedEdges: [[hex(BEACONER), hex(W2)]] } })).toEqual(onlyW2('witness:denied_edge'));
  });

  test('self_witness: the beaconer witnessed its own beacon', () => {
    const self = witnessItem(r, BEACONER, BEACON_RECEIVED + 1000, { rssiDdbm: -300 });
    expect(judged(withW2(self))).toEqual(onlyW2('witness:self_witness'));
  });

  test('too_late: the witness arrived more than maxWitnessLagMs after the first report of the PoC', () => {
    const lag = ORACLE_DEFAULTS.maxWitnessLagMs;
    expect(judged(withW2(w2({}, BEACON_RECEIVED + lag + 1)))).toEqual(onlyW2('witness:too_late'));
    expect(judged(withW2(w2({}, BEACON_RECEIVED + lag)))).toEqual(onlyW2('valid'));
    // When a witness beat the beacon to the oracle, the lag counts from that witness.
    const early = witnessItem(r, W1, BEACON_RECEIVED - 3000);
    const items = [beaconItem(r), early, w2({}, BEACON_RECEIVED - 3000 + lag + 1)];
    expect(judged(items)).toEqual(['valid', 'valid', 'witness:too_late']);
  });

  test('invalid_packet: the witness heard another data rate than the beacon was sent at', () => {
    expect(judged(withW2(w2({ dataRate: 3 })))).toEqual(onlyW2('witness:invalid_packet'));
  });

  test('invalid_frequency: the witness heard it more than maxFrequencyDiffHz away from where it was sent', () => {
    expect(judged(withW2(w2({ frequencyHz: 868_100_000 + 100_001 })))).toEqual(onlyW2('witness:invalid_frequency'));
    expect(judged(withW2(w2({ frequencyHz: 868_100_000 - 100_000 })))).toEqual(onlyW2('valid'));
  });

  test('invalid_region: the witness is registered in another region than the beaconer', () => {
    expect(judged(withW2(w2()), { hotspots: everyoneBut(hotspot(W2, { region: 'US915' })) })).toEqual(onlyW2('witness:invalid_region'));
  });

  test('below_min_distance: the witness is fewer than 8 res-11 cells from the beaconer', () => {
    expect(judged(withW2(witnessItem(r, NEAR, BEACON_RECEIVED + 1000)))).toEqual(onlyW2('witness:below_min_distance'));
  });

  test('max_distance_exceeded: the witness is more than 100 km from the beaconer', () => {
    expect(judged(withW2(witnessItem(r, FAR, BEACON_RECEIVED + 1000)))).toEqual(onlyW2('witness:max_distance_exceeded'));
  });

  test('bad_rssi: the witness heard the beacon louder than free space allows at 5 km', () => {
    // 14 dBm + 2 dBi + 2 dBi − FSPL(5 km, 868.1 MHz) ≈ −87.2 dBm.
    expect(judged(withW2(w2({ rssiDdbm: -860 })))).toEqual(onlyW2('witness:bad_rssi'));
    expect(judged(withW2(w2({ rssiDdbm: -880 })))).toEqual(onlyW2('valid'));
    expect(judged(withW2(w2({ rssiDdbm: -860 })), { config: { rssiMarginDb: 2 } })).toEqual(onlyW2('valid'));
  });

  test('unknown_beacon: no beacon report with the witnesses\' digest ever arrived', () => {
    const items = honestPoc().slice(1);
    const updates = judgeGroup(items, context());
    expect(outcome(items, updates)).toEqual(Array(3).fill('beaconer:unknown_beacon'));
    expect(updates.map((u) => u.epoch)).toEqual(items.map((w) => Math.floor(w.receivedMs / ORACLE_DEFAULTS.rewardEpochMs)));
  });
});

describe('phase 2: reciprocity when the epoch closes', () => {
  const epoch = Math.floor(BEACON_RECEIVED / ORACLE_DEFAULTS.rewardEpochMs);
  const judgedPoc = () => {
    const items = honestPoc();
    return applyVerdicts(items, judgeGroup(items, context()));
  };
  const facts = (entries: [Signer, ReciprocityFacts][]) => new Map(entries.map(([s, f]) => [hex(s), f]));
  const reciprocal: ReciprocityFacts = { passedWitness: true, passedBeaconWithWitness: true };
  const close = (items: StoredItem[], f: Map<string, ReciprocityFacts>) => {
    const { updates } = closeEpochVerdicts(items, f, { config: ORACLE_DEFAULTS, nowMs: NOW, epoch });
    return { updates, verdicts: outcome(items, updates).map((v, i) => (v === 'pending' ? (items[i].status === 'valid' ? 'valid' : v) : v)) };
  };

  test('gateway_no_valid_witnesses: a beaconer that witnessed nothing valid loses its beacon and its witnesses', () => {
    const items = judgedPoc();
    const { updates, verdicts } = close(items, facts([
      [BEACONER, { passedWitness: false, passedBeaconWithWitness: true }], [W1, reciprocal], [W2, reciprocal], [W3, reciprocal],
    ]));
    expect(verdicts).toEqual(Array(4).fill('beaconer:gateway_no_valid_witnesses'));
    expect(updates.every((u) => u.passed)).toBe(true);
  });

  test('gateway_no_valid_beacons: a witness with no witnessed beacon of its own is not rewarded', () => {
    const items = judgedPoc();
    const { updates, verdicts } = close(items, facts([
      [BEACONER, reciprocal], [W1, reciprocal], [W2, { passedWitness: true, passedBeaconWithWitness: false }], [W3, reciprocal],
    ]));
    expect(verdicts).toEqual(['valid', 'valid', 'witness:gateway_no_valid_beacons', 'valid']);
    const w2 = updates.find((u) => toHex(u.id) === toHex(items[2].id));
    expect(w2).toMatchObject({ passed: true, selected: false });
    // Phase 1 selected all three; reciprocity takes W2 out, and only its selection changes.
    const after = applyVerdicts(items, updates);
    expect(after.filter((item) => item.selected).map((item) => toHex(item.id))).toEqual([toHex(items[1].id), toHex(items[3].id)]);
  });
});
