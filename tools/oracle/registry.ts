/**
 * Onboarding: `POST /v1/hotspots` with a signed Onboard (docs/protocol.md §4.6). The registry is what the
 * verifier's location, distance, gain and region checks read, so only the key's owner may write its
 * entry, and an older request never overwrites a newer one.
 *
 * An attested request (Onboard version 2) also carries a vendor's certificate, judged by attestation.ts.
 * Its verdict only decides whether the hotspot is recorded as attested: a hotspot whose certificate fails
 * is registered all the same, as DIY, and the answer's `attestation` says why. A request without a
 * certificate leaves an attestation recorded earlier as it is (the certificate has not stopped being true);
 * one with a certificate replaces it with the new verdict.
 */
import { latLngToCell } from 'h3-js';
import {
  COORDINATE_SCALE, decodeOnboard, equalBytes, hotspotAddress, isAcceptablePublicKey, isDecodeError, toHex, verifyOnboard,
  type Onboard, type Verifier,
} from '../../proofs/index.js';
import { isRegionId } from '../../hal/radio/regions.js';
import { errorAnswer, jsonAnswer, refuseBody, type Answer } from './answer.js';
import { judgeAttestation, type AttestationVerdict } from './attestation.js';
import type { OracleClock } from './clock.js';
import { ASSERT_RESOLUTION, type AttestationRecord, type HotspotRecord } from './model.js';
import { RateLimiter, retryAfterSeconds } from './rate-limit.js';
import type { OracleStore } from './store/store.js';
import { NO_TRUSTED_VENDORS, type TrustedVendors } from './trusted-vendors.js';

/** Onboard requests are about 130 bytes, about 300 with a device certificate; anything near this is not one. */
export const MAX_ONBOARD_BYTES = 4096;
/** A hotspot re-asserting its location more often than this is refused with 429. */
const ONBOARD_LIMIT = { perMinute: 6, burst: 5 };

export interface RegistryOptions {
  readonly store: OracleStore;
  readonly verifier: Verifier;
  readonly clock: OracleClock;
  /** Vendors whose certificates make a hotspot attested. Default: none (every hotspot is DIY). */
  readonly trustedVendors?: TrustedVendors;
}

/** The registry record an Onboard asserts. */
export function recordOf(onboard: Onboard, registeredMs: number, request?: Uint8Array): HotspotRecord {
  const lat = onboard.latE7 / COORDINATE_SCALE;
  const lon = onboard.lonE7 / COORDINATE_SCALE;
  return {
    key: onboard.hotspot,
    location: { latE7: onboard.latE7, lonE7: onboard.lonE7, cell: latLngToCell(lat, lon, ASSERT_RESOLUTION) },
    gainDdbi: onboard.gainDdbi,
    region: onboard.region,
    assertedAtMs: onboard.timeMs,
    registeredMs,
    request,
  };
}

function sameAssertion(a: HotspotRecord, b: HotspotRecord): boolean {
  return a.location?.latE7 === b.location?.latE7 && a.location?.lonE7 === b.location?.lonE7
    && a.gainDdbi === b.gainDdbi && a.region === b.region;
}

/** The `attestation` member of the answer to an onboarding request. */
function attestationJson(verdict: AttestationVerdict) {
  switch (verdict.status) {
    case 'none': return { status: 'none' };
    case 'rejected': return { status: 'rejected', reason: verdict.reason, detail: verdict.detail };
    case 'attested': {
      const { record, vendor } = verdict;
      return { status: 'attested', vendor: vendor.name, vendorKey: toHex(record.vendorKey), model: record.model, serial: record.serial };
    }
  }
}

/** What a verdict writes: a new attestation, its removal (null), or nothing (undefined). */
function attestationWrite(verdict: AttestationVerdict): AttestationRecord | null | undefined {
  if (verdict.status === 'attested') return verdict.record;
  return verdict.status === 'rejected' ? null : undefined;
}

function sameAttestation(before: AttestationRecord | undefined, write: AttestationRecord | null | undefined): boolean {
  if (write === undefined) return true;
  if (write === null || before === undefined) return write === null && before === undefined;
  return equalBytes(before.certificate, write.certificate);
}

export class Registry {
  private readonly limiter = new RateLimiter(ONBOARD_LIMIT);

  constructor(private readonly options: RegistryOptions) {}

  async onboard(contentType: string | undefined, body: Uint8Array | undefined): Promise<Answer> {
    const refused = refuseBody(contentType, body, MAX_ONBOARD_BYTES);
    if (refused !== undefined) return refused;
    let onboard: Onboard;
    try {
      onboard = decodeOnboard(body as Uint8Array);
    } catch (error) {
      if (!isDecodeError(error)) throw error;
      const code = error.code === 'UnknownVersion' ? 'unknown_version' : 'malformed';
      return errorAnswer(400, code, error.message);
    }
    if (!isRegionId(onboard.region)) return errorAnswer(400, 'unknown_region', `region ${onboard.region} is not one covey knows`);
    if (!isAcceptablePublicKey(onboard.hotspot) || !verifyOnboard(onboard, this.options.verifier)) {
      return errorAnswer(422, 'bad_signature', 'the request is not signed by the key it names');
    }
    const now = this.options.clock.wallMs();
    const key = toHex(onboard.hotspot);
    const wait = this.limiter.take(key, now);
    if (wait > 0) return errorAnswer(429, 'rate_limited', 'too many onboarding requests', { 'retry-after': retryAfterSeconds(wait) });
    const verdict = judgeAttestation(onboard, this.options.trustedVendors ?? NO_TRUSTED_VENDORS, this.options.verifier, now);
    return this.register(recordOf(onboard, now, body), verdict);
  }

  private async register(record: HotspotRecord, verdict: AttestationVerdict): Promise<Answer> {
    const { store } = this.options;
    const before = await store.hotspot(record.key);
    const address = hotspotAddress(record.key);
    const attestation = attestationJson(verdict);
    const write = attestationWrite(verdict);
    if (before !== undefined && sameAssertion(before, record) && sameAttestation(await store.attestation(record.key), write)) {
      return jsonAnswer(200, { hotspot: address, status: 'unchanged', attestation });
    }
    if (before !== undefined && before.assertedAtMs > record.assertedAtMs) {
      return errorAnswer(409, 'stale_request', 'a newer assertion is already registered');
    }
    await store.putHotspot(record, write);
    return jsonAnswer(201, { hotspot: address, status: before === undefined ? 'registered' : 'updated', attestation });
  }
}
