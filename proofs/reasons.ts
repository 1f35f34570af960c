/**
 * Why the oracle rejects an uploaded item or finds a beacon or witness invalid. One registry for the
 * upload acknowledgement and the verifier, so a device can log the oracle's exact reason. The names
 * follow Helium's `invalid_reason` where the meaning is the same (poc.md §1, §3). Codes never change.
 */
export const Reason = {
  none: 0,
  malformed: 1,
  unknown_version: 2,
  bad_signature: 3,
  wrong_signer: 4,
  gateway_not_found: 5,
  not_asserted: 6,
  entropy_expired: 7,
  bad_entropy: 8,
  irregular_interval: 9,
  denied: 10,
  denied_edge: 11,
  invalid_packet: 12,
  bad_rssi: 13,
  invalid_region: 14,
  invalid_frequency: 15,
  max_distance_exceeded: 16,
  below_min_distance: 17,
  self_witness: 18,
  duplicate: 19,
  too_late: 20,
  stale: 21,
  unknown_beacon: 22,
  gateway_no_valid_beacons: 23,
  gateway_no_valid_witnesses: 24,
  rate_limited: 25,
} as const;
export type ReasonName = keyof typeof Reason;
export type ReasonCode = (typeof Reason)[ReasonName];

const NAMES: Record<number, string> = {};
for (const [name, code] of Object.entries(Reason)) NAMES[code] = name;

/** The name of a reason code; codes from a newer oracle print as `reason_<code>`. */
export function reasonName(code: number): string {
  return NAMES[code] ?? `reason_${code}`;
}
