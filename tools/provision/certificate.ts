/**
 * A vendor's device certificate file for `covey provision --attest` (proofs/attestation.ts; `covey
 * vendor attest` writes them): raw CBOR or hex text. It is decoded and its signature checked here so that
 * a damaged or mistaken file is refused at the bench, not found out by the device or the oracle later.
 */
import { decodeDeviceCertificate, isDecodeError, verifyDeviceCertificate, type DeviceCertificate } from '../../proofs/index.js';
import { HostVerifier } from '../crypto/node-ed25519.js';
import { messageBytes, readInput } from '../commands/inspect.js';
import { ProvisionError } from './settings.js';

export interface CertificateFile {
  /** The certificate's encoding, as stored under NVS key `attest`. */
  readonly bytes: Uint8Array;
  readonly certificate: DeviceCertificate;
}

/** `option` names the command-line option the path came from, for the error message. */
export function readCertificateFile(path: string, option = '--attest'): CertificateFile {
  const bytes = messageBytes(readInput(path), false);
  let certificate: DeviceCertificate;
  try {
    certificate = decodeDeviceCertificate(bytes);
  } catch (error) {
    if (isDecodeError(error)) throw new ProvisionError(`${option} ${path}: not a device certificate (${error.message})`);
    throw error;
  }
  if (!verifyDeviceCertificate(certificate, new HostVerifier())) {
    throw new ProvisionError(`${option} ${path}: the vendor's signature does not verify`);
  }
  return { bytes, certificate };
}
