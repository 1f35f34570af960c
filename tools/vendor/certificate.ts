/**
 * What `covey vendor` does, apart from the command line: issue a device certificate with a vendor's key
 * file, and read one back with every check an oracle would make (tools/oracle/attestation.ts), so that a
 * vendor finds a bad certificate at the factory rather than when its customer onboards.
 */
import {
  decodeDeviceCertificate, encodeDeviceCertificate, equalBytes, hotspotAddress, shortName, signDeviceCertificate, toHex,
  verifyDeviceCertificate, type DeviceCertificate, type Verifier,
} from '../../proofs/index.js';
import type { LoadedKey } from '../keyfile.js';
import type { TrustedVendors } from '../oracle/trusted-vendors.js';

export interface IssueOptions {
  readonly vendorKey: LoadedKey;
  readonly device: Uint8Array;
  readonly model: string;
  readonly serial: string;
  readonly issuedMs: number;
}

/** Signs a certificate for `device` and returns it with its encoding. Throws DecodeError for a bad model or serial. */
export function issueCertificate(options: IssueOptions): { certificate: DeviceCertificate; bytes: Uint8Array } {
  const certificate = signDeviceCertificate({
    vendor: options.vendorKey.publicKey, device: options.device, model: options.model, serial: options.serial,
    issuedMs: options.issuedMs,
  }, options.vendorKey.signer());
  return { certificate, bytes: encodeDeviceCertificate(certificate) };
}

/** A certificate as `covey vendor attest` and `covey vendor show` print it. */
export interface CertificateSummary {
  readonly device: string;
  readonly deviceKey: string;
  readonly deviceName: string;
  readonly model: string;
  readonly serial: string;
  readonly issuedAt: string;
  readonly vendorKey: string;
  readonly vendorAddress: string;
  readonly bytes: number;
}

export function summarize(certificate: DeviceCertificate, size: number): CertificateSummary {
  return {
    device: hotspotAddress(certificate.device), deviceKey: toHex(certificate.device), deviceName: shortName(certificate.device),
    model: certificate.model, serial: certificate.serial, issuedAt: new Date(certificate.issuedMs).toISOString(),
    vendorKey: toHex(certificate.vendor), vendorAddress: hotspotAddress(certificate.vendor), bytes: size,
  };
}

export interface CertificateChecks {
  /** The vendor's signature verifies under the vendor key the certificate names. */
  readonly signature: 'valid' | 'invalid';
  /** Whether it names the device expected; undefined when no device was given. */
  readonly device?: 'matches' | 'another device';
  /** The trusted vendor's name, or "untrusted"; undefined when no trusted-vendors file was given. */
  readonly vendor?: string;
}

/** Decodes strictly (DecodeError for anything else) and checks what can be checked with what is given. */
export function checkCertificate(bytes: Uint8Array, verifier: Verifier, expected: { device?: Uint8Array; trusted?: TrustedVendors } = {}) {
  const certificate = decodeDeviceCertificate(bytes);
  const checks: CertificateChecks = {
    signature: verifyDeviceCertificate(certificate, verifier) ? 'valid' : 'invalid',
    ...(expected.device === undefined ? {} : { device: equalBytes(expected.device, certificate.device) ? 'matches' : 'another device' }),
    ...(expected.trusted === undefined ? {} : { vendor: expected.trusted.vendor(certificate.vendor)?.name ?? 'untrusted' }),
  };
  return { certificate, checks };
}

/** Why the checks fail, or undefined when every check made passed. */
export function checkFailure(checks: CertificateChecks): string | undefined {
  if (checks.signature === 'invalid') return 'the vendor signature is INVALID';
  if (checks.device === 'another device') return 'the certificate is for another device';
  if (checks.vendor === 'untrusted') return 'the vendor key is not in the trusted-vendors file';
  return undefined;
}
