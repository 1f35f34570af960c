/**
 * Judging the device certificate an attested Onboard request carries (proofs/attestation.ts, Onboard
 * version 2). The verdict never decides whether the hotspot is registered: a certificate that fails any
 * check makes it a DIY hotspot, and the answer says why (docs/oracle.md "Vendor attestation").
 *
 * The checks, in order, each with the reason the answer names:
 *   1. the bytes are a DeviceCertificate this oracle reads          malformed / unknown_version
 *   2. it names the key of the hotspot that is onboarding            wrong_device
 *   3. its vendor key is in the trusted-vendors file                 untrusted_vendor
 *   4. the vendor's signature verifies under that key                bad_signature
 */
import {
  decodeDeviceCertificate, equalBytes, isAcceptablePublicKey, isDecodeError, verifyDeviceCertificate,
  type Onboard, type Verifier,
} from '../../proofs/index.js';
import type { AttestationRecord } from './model.js';
import type { TrustedVendor, TrustedVendors } from './trusted-vendors.js';

export type AttestationRejection = 'malformed' | 'unknown_version' | 'wrong_device' | 'untrusted_vendor' | 'bad_signature';

export type AttestationVerdict =
  /** The request carried no certificate (Onboard version 1). */
  | { readonly status: 'none' }
  | { readonly status: 'attested'; readonly record: AttestationRecord; readonly vendor: TrustedVendor }
  | { readonly status: 'rejected'; readonly reason: AttestationRejection; readonly detail: string };

const rejected = (reason: AttestationRejection, detail: string): AttestationVerdict => ({ status: 'rejected', reason, detail });

export function judgeAttestation(onboard: Onboard, trusted: TrustedVendors, verifier: Verifier, nowMs: number): AttestationVerdict {
  if (onboard.certificate === undefined) return { status: 'none' };
  let certificate;
  try {
    certificate = decodeDeviceCertificate(onboard.certificate);
  } catch (error) {
    if (!isDecodeError(error)) throw error;
    return rejected(error.code === 'UnknownVersion' ? 'unknown_version' : 'malformed', `the certificate: ${error.message}`);
  }
  if (!equalBytes(certificate.device, onboard.hotspot)) {
    return rejected('wrong_device', "the certificate names another device's key");
  }
  const vendor = trusted.vendor(certificate.vendor);
  if (vendor === undefined) return rejected('untrusted_vendor', 'the certificate is signed by a vendor key this oracle does not trust');
  if (!isAcceptablePublicKey(certificate.vendor) || !verifyDeviceCertificate(certificate, verifier)) {
    return rejected('bad_signature', `the certificate is not signed by the key of "${vendor.name}"`);
  }
  return {
    status: 'attested',
    vendor,
    record: {
      vendorKey: certificate.vendor, model: certificate.model, serial: certificate.serial, issuedMs: certificate.issuedMs,
      certificate: onboard.certificate, attestedMs: nowMs,
    },
  };
}
